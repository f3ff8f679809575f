using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Referrers;

/// <summary>The manifests that name a given subject, optionally filtered by artifact type (OCI 1.1 referrers API).</summary>
public sealed class ReferrersService(IMetadataStore metadata)
{
    /// <param name="artifactType">Null or empty for no filter.</param>
    public async Task<IReadOnlyList<ReferrerRecord>> ListAsync(RepositoryName repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var all = await metadata.Manifests.ListReferrersAsync(repository, subject, cancellationToken);
        return string.IsNullOrEmpty(artifactType) ? all : all.Where(r => r.ArtifactType == artifactType).ToList();
    }
}
