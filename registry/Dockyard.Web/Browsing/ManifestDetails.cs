using Dockyard.Core.Blobs;
using Dockyard.Core.Bodies;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Referrers;

namespace Dockyard.Web.Browsing;

/// <summary>
/// Everything the manifest page shows. <see cref="Refusal"/> is set (and <see cref="Parsed"/> and <see cref="Config"/>
/// are null) when the pull guard — the signing policy — refuses this content, since no door may show what another
/// refuses to serve. <see cref="Config"/> is null for an index, a config too large or not JSON. <see cref="Policy"/> is
/// what the configured signing policy said and <see cref="Rule"/> the rule that said it (null when no rule covers the
/// repository); <see cref="Signatures"/> the signatures stored for this manifest.
/// </summary>
public sealed record ManifestView(
    RepositoryName Repository,
    ManifestReference Reference,
    ManifestRecord Record,
    string? Refusal,
    ParsedManifest? Parsed,
    ImageConfig? Config,
    IReadOnlyList<ReferrerRecord> Referrers,
    SigningVerdict Policy,
    IReadOnlyList<SignatureFound> Signatures,
    string? Rule = null);

/// <summary>
/// The pull guard's answer for this manifest: no signing policy is configured; a rule covers the repository and the
/// manifest passed it (its signature verified); a policy is configured but no rule covers this repository; or refused.
/// </summary>
public enum SigningVerdict
{
    NoPolicy,
    Verified,
    NotCovered,
    Refused,
}

/// <summary>Reads a manifest, its config blob and its referrers for the manifest page, through Core's services.</summary>
public sealed class ManifestDetails(ManifestService manifests, IManifestPullGuard pullGuard, IBlobStore blobs, IMetadataStore metadata, ReferrersService referrers)
{
    /// <summary>Configs larger than this are not shown (a real one is a few KiB; the registry does not cap what is pushed).</summary>
    public const int MaxConfigBytes = 1 << 20;

    /// <summary>The view; null when the repository holds no such manifest or tag.</summary>
    public async Task<ManifestView?> GetAsync(RepositoryName repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        ManifestContent content;
        try
        {
            content = await manifests.GetAsync(repository, reference, cancellationToken);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ManifestUnknown)
        {
            return null;
        }
        var refs = await referrers.ListAsync(repository, content.Record.Digest, null, cancellationToken);
        var signatures = ManifestProtection.Signatures(refs,
            await metadata.Tags.GetAsync(repository, ManifestProtection.CosignTag(content.Record.Digest), cancellationToken));
        try
        {
            await pullGuard.CheckAsync(repository, content, cancellationToken);
        }
        catch (RegistryException e)
        {
            return new ManifestView(repository, reference, content.Record, e.Message, null, null, refs, SigningVerdict.Refused, signatures,
                pullGuard.CoveringRule(repository));
        }
        var parsed = ManifestDocument.TryParse(content);
        var config = parsed?.Config is { } descriptor ? await ReadConfigAsync(repository, descriptor, cancellationToken) : null;
        // The guard is the verifier under the configured policy (Dockyard.Signing's); the open default means there is none.
        var rule = pullGuard.CoveringRule(repository);
        var verdict = pullGuard is OpenPullGuard ? SigningVerdict.NoPolicy : rule is null ? SigningVerdict.NotCovered : SigningVerdict.Verified;
        return new ManifestView(repository, reference, content.Record, null, parsed, config, refs, verdict, signatures, rule);
    }

    private async Task<ImageConfig?> ReadConfigAsync(RepositoryName repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (descriptor.Size > MaxConfigBytes || await metadata.BlobLinks.GetAsync(repository, descriptor.Digest, cancellationToken) is null)
        {
            return null;
        }
        await using var stream = await blobs.OpenReadAsync(descriptor.Digest, 0, cancellationToken);
        if (stream is null || await BoundedBody.TryReadAsync(stream, descriptor.Size, MaxConfigBytes, cancellationToken) is not { } bytes)
        {
            return null;
        }
        return ImageConfig.TryParse(bytes.Span);
    }
}
