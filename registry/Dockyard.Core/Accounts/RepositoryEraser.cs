using Dockyard.Core.Appc;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Signatures;
using Dockyard.Core.V1;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Deletes everything every protocol keeps for a repository — V2 manifests, tags, referrers, blob links and uploads;
/// V1 images, lists and tags; ACIs, appc pushes, keys and conversions; stored signatures; team grants and the UAM
/// record — so whoever next creates the name starts empty. Blob bytes stay for garbage collection. The UAM record
/// goes last: a delete that fails half-way leaves the repository owned, and it can be run again.
/// </summary>
public sealed class RepositoryEraser(IAccountStore accounts, IMetadataStore metadata, IV1ImageStore v1, IAciStore aci, IImageSignatureStore signatures)
{
    public async Task EraseAsync(RepositoryName repository, string @namespace, string name, CancellationToken cancellationToken)
    {
        foreach (var grant in await accounts.Teams.ListGrantsAsync(@namespace, name, cancellationToken))
        {
            await accounts.Teams.RemoveRepositoryAsync(@namespace, grant.Team, name, cancellationToken);
        }
        await v1.DeleteRepositoryAsync(repository, cancellationToken);
        await aci.DeleteRepositoryAsync(repository, cancellationToken);
        await signatures.DeleteRepositoryAsync(repository, cancellationToken);
        await metadata.Repositories.DeleteAsync(repository, cancellationToken);
        await accounts.Repositories.DeleteAsync(@namespace, name, cancellationToken);
    }

    /// <summary>Deletes what a namespace keeps beside its repositories (its namespace-wide ACI keys), when its account is deleted.</summary>
    public Task EraseNamespaceAsync(string @namespace, CancellationToken cancellationToken) =>
        RepositoryName.TryParse(@namespace, out var name) ? aci.DeleteRepositoryAsync(name, cancellationToken) : Task.CompletedTask;
}
