using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Verifies Notary Project (notation) signatures: referrers of the manifest with artifact type
/// <c>application/vnd.cncf.notary.signature</c>, each with one <c>application/jose+json</c> layer holding a JWS
/// envelope of signing scheme <c>notary.x509</c>. A signature counts when its JWS verifies with the leaf certificate's
/// key, the <c>x5c</c> chain builds to a configured root, the leaf is valid now and at its signing time, the envelope
/// has not expired, and its <c>targetArtifact</c> is exactly the manifest (media type, digest, size).
/// </summary>
public sealed class NotationVerifier(SignatureContent content, TimeProvider time)
{
    public const string ArtifactType = "application/vnd.cncf.notary.signature";
    public const string EnvelopeMediaType = "application/jose+json";
    public const string PayloadContentType = "application/vnd.cncf.notary.payload.v1+json";

    private static readonly string[] UnderstoodCritical = ["io.cncf.notary.signingScheme", "io.cncf.notary.expiry"];

    public async Task<SignatureCheck> VerifyAsync(RepositoryName repository, ManifestRecord manifest, X509Certificate2Collection roots,
        CancellationToken cancellationToken)
    {
        var referrers = await content.ReferrersAsync(repository, manifest.Digest, ArtifactType, cancellationToken);
        var checks = new List<SignatureCheck>();
        foreach (var referrer in referrers)
        {
            var signature = await content.GetAsync(repository, referrer.Digest, cancellationToken);
            foreach (var layer in signature?.Layers.Where(l => l.MediaType == EnvelopeMediaType) ?? [])
            {
                try
                {
                    checks.Add(VerifyEnvelope(await content.ReadBlobAsync(repository, layer, cancellationToken), manifest, roots, time.GetUtcNow()));
                }
                catch (SignatureFormatException e)
                {
                    checks.Add(SignatureCheck.Invalid(e.Message));
                }
                if (checks[^1].IsValid)
                {
                    return checks[^1];
                }
            }
        }
        return SignatureCheck.Best(checks, "no notation signature among the manifest's referrers");
    }

    /// <summary>Verifies one JWS envelope against the signed manifest and the trust roots at <paramref name="now"/>.</summary>
    public static SignatureCheck VerifyEnvelope(byte[] envelopeJson, ManifestRecord manifest, X509Certificate2Collection roots, DateTimeOffset now)
    {
        try
        {
            using var envelope = JwsEnvelope.Parse(envelopeJson);
            if (CheckHeader(envelope, now, out var signingTime) is { } headerFault)
            {
                return SignatureCheck.Invalid(headerFault);
            }
            if (!envelope.VerifySignature())
            {
                return SignatureCheck.Invalid($"JWS signature does not verify with the key of '{envelope.Leaf.Subject}'");
            }
            if (CertificateChainValidator.Validate(envelope.Chain, roots, now, signingTime) is { } chainFault)
            {
                return SignatureCheck.Invalid(chainFault);
            }
            return CheckTarget(envelope.Payload, manifest) is { } targetFault
                ? SignatureCheck.Invalid(targetFault)
                : SignatureCheck.Valid($"notation signature by '{envelope.Leaf.Subject}'");
        }
        catch (SignatureFormatException e)
        {
            return SignatureCheck.Invalid(e.Message);
        }
    }

    private static string? CheckHeader(JwsEnvelope envelope, DateTimeOffset now, out DateTimeOffset? signingTime)
    {
        signingTime = null;
        if (envelope.HeaderString("cty") is var cty && cty != PayloadContentType)
        {
            return $"JWS cty is '{cty}', not '{PayloadContentType}'";
        }
        if (envelope.HeaderString("io.cncf.notary.signingScheme") is var scheme && scheme != "notary.x509")
        {
            return $"signing scheme '{scheme}' is not supported (notary.x509 is)";
        }
        var root = envelope.Header.RootElement;
        if (!root.TryGetProperty("crit", out var crit) || crit.ValueKind != JsonValueKind.Array
            || !crit.EnumerateArray().Any(c => c.GetString() == "io.cncf.notary.signingScheme"))
        {
            return "JWS crit must list io.cncf.notary.signingScheme";
        }
        if (crit.EnumerateArray().Select(c => c.GetString()).FirstOrDefault(c => !UnderstoodCritical.Contains(c)) is { } unknown)
        {
            return $"JWS header '{unknown}' is critical and not understood";
        }
        if (ParseTime(envelope.HeaderString("io.cncf.notary.signingTime")) is not { } signed)
        {
            return "JWS has no valid io.cncf.notary.signingTime";
        }
        signingTime = signed;
        if (envelope.HeaderString("io.cncf.notary.expiry") is { } expiryText)
        {
            if (ParseTime(expiryText) is not { } expiry)
            {
                return "JWS io.cncf.notary.expiry is not an RFC 3339 time";
            }
            if (now > expiry)
            {
                return $"signature expired at {expiryText}";
            }
        }
        return null;
    }

    private static string? CheckTarget(byte[] payload, ManifestRecord manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var target = document.RootElement.GetProperty("targetArtifact");
            var digest = target.GetProperty("digest").GetString();
            var size = target.GetProperty("size").GetInt64();
            var mediaType = target.GetProperty("mediaType").GetString();
            if (digest != manifest.Digest.Value)
            {
                return $"signature is for {digest}, not {manifest.Digest}";
            }
            return size != manifest.Size || mediaType != manifest.MediaType
                ? $"signature's target ({mediaType}, {size} bytes) is not the manifest ({manifest.MediaType}, {manifest.Size} bytes)"
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return "JWS payload is not a Notary signature payload";
        }
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
