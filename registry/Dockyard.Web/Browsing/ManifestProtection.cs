using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Web.Browsing;

/// <summary>How many of an image's layers are ocicrypt-encrypted and to how many recipients' keys (JWE, PKCS#7, OpenPGP) at most.</summary>
public sealed record EncryptionStatus(int EncryptedLayers, int Layers, int Recipients)
{
    public bool IsEncrypted => EncryptedLayers > 0;
}

/// <summary>A signature found for the manifest: its kind ("cosign", "notation", "sigstore bundle") and the manifest holding it.</summary>
public sealed record SignatureFound(string Kind, Digest Digest, string Source);

/// <summary>
/// Reads what the manifest page says about protection from data already in hand: layer media types and annotations for
/// encryption (ocicrypt marks an encrypted layer by the <c>+encrypted</c> suffix and lists wrapped keys in
/// <c>org.opencontainers.image.enc.keys.*</c>), and the referrers plus cosign's tag scheme for signatures.
/// </summary>
public static class ManifestProtection
{
    public const string CosignArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public const string SigstoreBundleArtifactType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    public const string NotationArtifactType = "application/vnd.cncf.notary.signature";
    public const string CosignPayloadMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    private static readonly string[] KeyAnnotations =
        ["org.opencontainers.image.enc.keys.jwe", "org.opencontainers.image.enc.keys.pkcs7", "org.opencontainers.image.enc.keys.pgp"];

    public static EncryptionStatus Encryption(ParsedManifest manifest)
    {
        var encrypted = manifest.Layers.Where(l => l.MediaType.EndsWith("+encrypted", StringComparison.Ordinal)).ToList();
        // Every encrypted layer is wrapped for the same recipients in practice; the largest count is what the page states.
        var recipients = encrypted.Select(l => KeyAnnotations.Sum(key =>
            l.Annotations?.TryGetValue(key, out var value) == true ? value.Split(',', StringSplitOptions.RemoveEmptyEntries).Length : 0))
            .DefaultIfEmpty(0).Max();
        return new EncryptionStatus(encrypted.Count, manifest.Layers.Count, recipients);
    }

    /// <summary>The signatures among <paramref name="referrers"/>, then the cosign signature tagged <c>sha256-HEX.sig</c> when <paramref name="tagged"/> is set.</summary>
    public static IReadOnlyList<SignatureFound> Signatures(IReadOnlyList<ReferrerRecord> referrers, Digest? tagged)
    {
        var found = new List<SignatureFound>();
        foreach (var referrer in referrers)
        {
            var kind = (referrer.ArtifactType ?? referrer.MediaType) switch
            {
                CosignArtifactType => "cosign",
                SigstoreBundleArtifactType => "sigstore bundle",
                NotationArtifactType => "notation",
                _ => null,
            };
            if (kind is not null)
            {
                found.Add(new SignatureFound(kind, referrer.Digest, "referrer"));
            }
        }
        if (tagged is { } digest)
        {
            found.Add(new SignatureFound("cosign", digest, "tag"));
        }
        return found;
    }

    /// <summary>The tag under which cosign stores a signature of <paramref name="signed"/> in the same repository.</summary>
    public static string CosignTag(Digest signed) => $"{signed.Algorithm}-{signed.Hex}.sig";
}
