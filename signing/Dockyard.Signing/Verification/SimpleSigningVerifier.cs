using System.Text.Json;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Signatures;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Verifies simple-signing signatures ("atomic container signatures", as <c>skopeo copy --sign-by</c> makes them)
/// stored through the signature API extension: each is an OpenPGP signed message whose payload is
/// <c>{"critical":{"type":"atomic container signature","image":{"docker-manifest-digest":…},"identity":{"docker-reference":…}},"optional":{…}}</c>.
/// A signature counts when a configured GPG key signed it, it names the manifest's digest and, when an identity is
/// required, its docker-reference matches: exactly, or by repository alone when the required identity has no tag or digest.
/// </summary>
public sealed class SimpleSigningVerifier(ImageSignatureService signatures)
{
    public const string PayloadType = "atomic container signature";

    /// <param name="keys">The accepted GPG public keys.</param>
    /// <param name="identity">The required docker-reference; null accepts any.</param>
    public async Task<SignatureCheck> VerifyAsync(RepositoryName repository, Digest digest, PgpVerifier keys, string? identity, CancellationToken cancellationToken)
    {
        IReadOnlyList<ImageSignatureContent> stored;
        try
        {
            stored = await signatures.ListAsync(repository, digest, cancellationToken);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ManifestUnknown)
        {
            stored = [];
        }
        var atomic = stored.Where(s => s.Signature.Type == ImageSignatureService.AtomicType).ToList();
        var checks = new List<SignatureCheck>();
        foreach (var signature in atomic)
        {
            var message = keys.VerifySignedMessage(signature.Bytes);
            checks.Add(message.Payload is { } payload
                ? CheckClaims(payload, digest, identity) is { } fault ? SignatureCheck.Invalid(fault) : SignatureCheck.Valid($"simple signing: {message.Check.Reason}")
                : message.Check);
            if (checks[^1].IsValid)
            {
                break;
            }
        }
        return SignatureCheck.Best(checks, "no simple signing signature (signature API extension)");
    }

    /// <summary>Null when the signed payload is an atomic container signature of <paramref name="digest"/> (and identity); else why not.</summary>
    public static string? CheckClaims(byte[] payload, Digest digest, string? identity)
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
            var reference = critical.GetProperty("identity").GetProperty("docker-reference").GetString();
            return identity is null || IdentityMatches(reference, identity) ? null : $"payload identity is '{reference}', not the required '{identity}'";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "payload is not a simple-signing document";
        }
    }

    private static bool IdentityMatches(string? reference, string identity) =>
        reference is not null && (reference == identity || (Repository(identity) == identity && Repository(reference) == identity));

    // "host:port/ns/repo:tag@sha256:…" → "host:port/ns/repo"
    private static string Repository(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? reference : reference[..at];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
