using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Signing.Verification;

namespace Dockyard.Launcher.Registry;

/// <summary>
/// Enforces a signing policy file (the registry's format, <see cref="SignaturePolicyLoader"/>) on the client side,
/// reading the signatures from the remote registry: cosign <c>sha256-&lt;hex&gt;.sig</c> manifests checked with
/// <see cref="CosignVerifier.VerifyPayload"/>, Notary referrers with <see cref="NotationVerifier.VerifyEnvelope"/>.
/// The digest checked is the one the reference resolved to (an index's when it names one).
/// </summary>
public sealed class RemoteSignatureVerifier(SignaturePolicy policy, TimeProvider time)
{
    private const int MaxSignatureBytes = SignatureContent.MaxBlobBytes;

    /// <summary>What verified, or null when no rule covers the repository.</summary>
    /// <exception cref="LaunchException">A signature the rule requires is missing or invalid.</exception>
    public async Task<string?> VerifyAsync(RegistryClient client, ResolvedImage image, CancellationToken cancellationToken)
    {
        var repository = image.Reference.Repository;
        if (policy.Match(repository) is not { } rule)
        {
            return null;
        }
        var checks = new List<SignatureCheck>();
        if (rule.Require is SignatureKind.Cosign or SignatureKind.Any && rule.Keys.Count > 0)
        {
            checks.Add(await CosignAsync(client, image, rule, cancellationToken));
        }
        if (rule.Require is SignatureKind.Notation or SignatureKind.Any && rule.TrustRoots.Count > 0 && !checks.Any(c => c.IsValid))
        {
            checks.Add(await NotationAsync(client, image, rule, cancellationToken));
        }
        var best = checks.FirstOrDefault(c => c.IsValid) ?? checks.FirstOrDefault(c => c.Outcome == SignatureOutcome.Invalid)
            ?? SignatureCheck.NoneFound(string.Join("; ", checks.Select(c => c.Reason)));
        if (best.IsValid)
        {
            return best.Reason;
        }
        var found = best.Outcome == SignatureOutcome.NoneFound ? "none found" : "invalid";
        throw new LaunchException(LaunchFailure.SignatureRefused,
            $"{image.Reference} ({image.Digest}) requires a {rule.Requirement} (policy {policy.Source}, rule {rule.Index}): {found} ({best.Reason})");
    }

    private static async Task<SignatureCheck> CosignAsync(RegistryClient client, ResolvedImage image, SignatureRule rule, CancellationToken cancellationToken)
    {
        var repository = image.Reference.Repository;
        var tag = CosignVerifier.SignatureTag(image.Digest);
        var signature = await client.GetManifestAsync(repository, tag, cancellationToken, missingIsNull: true);
        var layers = signature?.Parse().Layers.Where(l => l.MediaType == CosignVerifier.PayloadMediaType).ToList() ?? [];
        var checks = new List<SignatureCheck>();
        foreach (var layer in layers)
        {
            var payload = await client.ReadBlobAsync(repository, layer, MaxSignatureBytes, cancellationToken);
            checks.Add(CosignVerifier.VerifyPayload(payload, layer.Annotations?.GetValueOrDefault(CosignVerifier.SignatureAnnotation), image.Digest,
                rule.Keys, rule.IdentityFor(repository)));
            if (checks[^1].IsValid)
            {
                break;
            }
        }
        return SignatureCheck.Best(checks, $"no cosign signature (tag {tag})");
    }

    private async Task<SignatureCheck> NotationAsync(RegistryClient client, ResolvedImage image, SignatureRule rule,
        CancellationToken cancellationToken)
    {
        var repository = image.Reference.Repository;
        var top = image.Top;
        var record = new ManifestRecord(top.Digest, top.MediaType ?? MediaTypes.OciManifest, top.Bytes.Length, null, null, null, time.GetUtcNow());
        var checks = new List<SignatureCheck>();
        foreach (var referrer in await client.ReferrersAsync(repository, image.Digest, NotationVerifier.ArtifactType, cancellationToken))
        {
            var signature = await client.GetManifestAsync(repository, referrer.Digest.Value, cancellationToken, missingIsNull: true);
            foreach (var layer in signature?.Parse().Layers.Where(l => l.MediaType == NotationVerifier.EnvelopeMediaType) ?? [])
            {
                var envelope = await client.ReadBlobAsync(repository, layer, MaxSignatureBytes, cancellationToken);
                checks.Add(NotationVerifier.VerifyEnvelope(envelope, record, rule.TrustRoots, time.GetUtcNow()));
                if (checks[^1].IsValid)
                {
                    return checks[^1];
                }
            }
        }
        return SignatureCheck.Best(checks, "no notation signature among the manifest's referrers");
    }
}
