using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Verifies cosign signatures stored the classic way: an OCI image manifest tagged <c>sha256-&lt;hex&gt;.sig</c> in the
/// signed manifest's repository, each layer a simple-signing payload with its base64 ECDSA signature (ASN.1 DER, over
/// the payload bytes, SHA-256) in the annotation <c>dev.cosignproject.cosign/signature</c>. A payload counts when its
/// <c>critical.image.docker-manifest-digest</c> is the manifest's digest, its type is the cosign type and, when an
/// identity is required, its <c>critical.identity.docker-reference</c> equals it.
/// </summary>
public sealed class CosignVerifier(SignatureContent content)
{
    public const string PayloadMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PayloadType = "cosign container image signature";

    /// <summary>The tag under which cosign stores the signatures of <paramref name="digest"/>.</summary>
    public static string SignatureTag(Digest digest) => $"{digest.Algorithm}-{digest.Hex}.sig";

    /// <param name="keys">The accepted public keys; a signature by any of them is enough.</param>
    /// <param name="identity">The required docker-reference; null accepts any.</param>
    public async Task<SignatureCheck> VerifyAsync(RepositoryName repository, Digest digest, IReadOnlyList<ECDsa> keys, string? identity,
        CancellationToken cancellationToken)
    {
        var tag = SignatureTag(digest);
        var manifest = await content.FindByTagAsync(repository, tag, cancellationToken);
        var layers = manifest?.Layers.Where(l => l.MediaType == PayloadMediaType).ToList() ?? [];
        if (layers.Count == 0)
        {
            return SignatureCheck.NoneFound($"no cosign signature (tag {tag})");
        }
        var checks = new List<SignatureCheck>();
        foreach (var layer in layers)
        {
            try
            {
                var payload = await content.ReadBlobAsync(repository, layer, cancellationToken);
                checks.Add(VerifyPayload(payload, layer.Annotations?.GetValueOrDefault(SignatureAnnotation), digest, keys, identity));
            }
            catch (SignatureFormatException e)
            {
                checks.Add(SignatureCheck.Invalid(e.Message));
            }
            if (checks[^1].IsValid)
            {
                break;
            }
        }
        return SignatureCheck.Best(checks, $"no cosign signature (tag {tag})");
    }

    /// <summary>Verifies one simple-signing payload and its base64 DER signature.</summary>
    public static SignatureCheck VerifyPayload(byte[] payload, string? signatureBase64, Digest digest, IReadOnlyList<ECDsa> keys, string? identity)
    {
        if (string.IsNullOrEmpty(signatureBase64))
        {
            return SignatureCheck.Invalid($"payload has no {SignatureAnnotation} annotation");
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64);
        }
        catch (FormatException)
        {
            return SignatureCheck.Invalid("signature annotation is not base64");
        }
        var index = -1;
        for (var i = 0; i < keys.Count && index < 0; i++)
        {
            if (keys[i].VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                index = i;
            }
        }
        if (index < 0)
        {
            return SignatureCheck.Invalid("signature does not verify with any configured key");
        }
        return CheckClaims(payload, digest, identity) is { } fault
            ? SignatureCheck.Invalid(fault)
            : SignatureCheck.Valid($"cosign signature by configured key #{index + 1}");
    }

    /// <summary>Null when the signed payload is about <paramref name="digest"/> (and identity); else why not.</summary>
    private static string? CheckClaims(byte[] payload, Digest digest, string? identity)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var critical = document.RootElement.GetProperty("critical");
            var type = critical.GetProperty("type").GetString();
            if (type != PayloadType)
            {
                return $"payload type is '{type}', not '{PayloadType}'";
            }
            var signed = critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString();
            if (signed != digest.Value)
            {
                return $"payload signs {signed}, not {digest}";
            }
            var reference = critical.TryGetProperty("identity", out var id) && id.TryGetProperty("docker-reference", out var r) ? r.GetString() : null;
            if (identity is not null && reference != identity)
            {
                return $"payload identity is '{reference}', not the required '{identity}'";
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "payload is not a simple-signing document";
        }
    }
}
