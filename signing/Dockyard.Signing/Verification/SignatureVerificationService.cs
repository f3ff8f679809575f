using Dockyard.Core.Appc;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Enforces a <see cref="SignaturePolicy"/> on pulls through every protocol: a manifest of a repository that a rule
/// covers is served only when it carries a valid signature of the rule's kind (signature artifacts themselves are
/// always served); a pushed ACI only when its own <c>.asc</c> verifies with the rule's GPG keys; a V1 image never,
/// since it cannot be signed. Results that verified are cached by repository, digest and rule (<see cref="VerifiedDigestCache"/>).
/// </summary>
public sealed class SignatureVerificationService(SignaturePolicy policy, CosignVerifier cosign, NotationVerifier notation, SimpleSigningVerifier simple,
    VerifiedDigestCache cache, IBlobStore blobs)
    : IManifestPullGuard
{
    public SignaturePolicy Policy { get; } = policy;

    /// <summary>Verifies <paramref name="manifest"/> against the rule for <paramref name="repository"/>; null when no rule applies.</summary>
    public async Task<SignatureCheck?> VerifyAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        if (Policy.Match(repository) is not { } rule)
        {
            return null;
        }
        return await VerifyAsync(rule, repository, manifest, cancellationToken);
    }

    public async Task CheckAsync(RepositoryName repository, ManifestContent content, CancellationToken cancellationToken)
    {
        if (Policy.Match(repository) is not { } rule || SignatureArtifacts.IsSignature(content))
        {
            return;
        }
        var digest = content.Record.Digest;
        if (cache.Contains(repository, digest, rule.Index))
        {
            return;
        }
        var check = await VerifyAsync(rule, repository, content.Record, cancellationToken);
        if (check.IsValid)
        {
            cache.Add(repository, digest, rule.Index);
            return;
        }
        throw Refusal(rule, repository, digest, check);
    }

    public async Task CheckAciAsync(RepositoryName repository, AciImage image, CancellationToken cancellationToken)
    {
        if (Policy.Match(repository) is not { } rule || cache.Contains(repository, image.Aci, rule.Index))
        {
            return;
        }
        var check = rule.Require is SignatureKind.SimpleSigning or SignatureKind.Any && rule.GpgKeys is { } keys
            ? await VerifyAciAsync(keys, image, cancellationToken)
            : SignatureCheck.NoneFound("an ACI carries only an OpenPGP signature and the rule configures no GPG keys");
        if (!check.IsValid)
        {
            throw Refusal(rule, repository, image.Aci, check);
        }
        cache.Add(repository, image.Aci, rule.Index);
    }

    public Task CheckUnsignableAsync(RepositoryName repository, string protocol, CancellationToken cancellationToken) =>
        Policy.Match(repository) is { } rule
            ? throw new RegistryException(RegistryErrorCode.Denied,
                $"repository '{repository}' requires a {rule.Requirement}; images pulled through {protocol} cannot carry one, pull through the V2 API",
                new { policy = Policy.Source, rule = rule.Index, repositories = rule.Repositories.Text })
            : Task.CompletedTask;

    public string? CoveringRule(RepositoryName repository) =>
        Policy.Match(repository) is { } rule ? $"rule {rule.Index} ({rule.Repositories.Text}): {rule.Requirement}" : null;

    private async Task<SignatureCheck> VerifyAciAsync(PgpVerifier keys, AciImage image, CancellationToken cancellationToken)
    {
        var signatureSize = await blobs.StatAsync(image.Signature, cancellationToken);
        if (signatureSize is not (> 0 and <= SignatureContent.MaxBlobBytes))
        {
            return SignatureCheck.Invalid("the ACI's signature is missing or too large");
        }
        var signature = new byte[signatureSize.Value];
        await using (var stream = await blobs.OpenReadAsync(image.Signature, 0, cancellationToken)
            ?? throw new StorageUnavailableException($"blob {image.Signature} vanished"))
        {
            await stream.ReadExactlyAsync(signature, cancellationToken);
        }
        await using var aci = await blobs.OpenReadAsync(image.Aci, 0, cancellationToken)
            ?? throw new StorageUnavailableException($"blob {image.Aci} vanished");
        return await keys.VerifyAsync(aci, signature, cancellationToken);
    }

    private RegistryException Refusal(SignatureRule rule, RepositoryName repository, Digest digest, SignatureCheck check)
    {
        var found = check.Outcome == SignatureOutcome.NoneFound ? "none found" : $"invalid ({check.Reason})";
        return new RegistryException(RegistryErrorCode.Denied, $"repository '{repository}' requires a {rule.Requirement}: {found}",
            new { policy = Policy.Source, rule = rule.Index, repositories = rule.Repositories.Text, digest = digest.Value, reason = check.Reason });
    }

    private async Task<SignatureCheck> VerifyAsync(SignatureRule rule, RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        var checks = new List<SignatureCheck>();
        if (rule.Require is SignatureKind.Cosign or SignatureKind.Any && rule.Keys.Count > 0)
        {
            checks.Add(await cosign.VerifyAsync(repository, manifest.Digest, rule.Keys, rule.IdentityFor(repository), cancellationToken));
        }
        if (rule.Require is SignatureKind.SimpleSigning or SignatureKind.Any && rule.GpgKeys is { } gpgKeys && !checks.Any(c => c.IsValid))
        {
            checks.Add(await simple.VerifyAsync(repository, manifest.Digest, gpgKeys, rule.IdentityFor(repository), cancellationToken));
        }
        if (rule.Require is SignatureKind.Notation or SignatureKind.Any && rule.TrustRoots.Count > 0 && !checks.Any(c => c.IsValid))
        {
            checks.Add(await notation.VerifyAsync(repository, manifest, rule.TrustRoots, cancellationToken));
        }
        return checks.FirstOrDefault(c => c.IsValid)
            ?? checks.FirstOrDefault(c => c.Outcome == SignatureOutcome.Invalid)
            ?? SignatureCheck.NoneFound(string.Join("; ", checks.Select(c => c.Reason)));
    }
}
