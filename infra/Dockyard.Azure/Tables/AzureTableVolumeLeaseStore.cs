using Azure.Data.Tables;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>volumeleases</c> table (<see cref="IVolumeLeaseStore"/>): PartitionKey = repository, one row <c>lease</c>
/// with Holder, Token, ExpiresAt and Revision. The first write is an add (409 for the loser); later ones replace the
/// row only with the ETag of the read that saw the expected revision, so a write in between makes it fail.
/// </summary>
public sealed class AzureTableVolumeLeaseStore(AzureTables tables) : IVolumeLeaseStore
{
    private const string Row = "lease";

    private TableClient Table => tables["volumeleases"];

    public async Task<VolumeLease?> GetAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), Row, cancellationToken) is { } row
            ? new VolumeLease(repository, row.GetString("Holder"), row.GetInt64("Token") ?? 0, AzureTables.ParseTime(row.GetString("ExpiresAt")),
                row.GetInt64("Revision") ?? 0)
            : null;

    public async Task<bool> TryWriteAsync(VolumeLease lease, long? expectedRevision, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKey.Escape(lease.Repository.Value), Row)
        {
            ["Holder"] = lease.Holder,
            ["Token"] = lease.Token,
            ["ExpiresAt"] = AzureTables.Time(lease.ExpiresAt),
            ["Revision"] = lease.Revision,
        };
        if (expectedRevision is null)
        {
            return await AzureTables.TryAddAsync(Table, entity, cancellationToken);
        }
        var current = await AzureTables.GetAsync(Table, entity.PartitionKey, Row, cancellationToken);
        return current is not null && current.GetInt64("Revision") == expectedRevision
            && await AzureTables.TryReplaceAsync(Table, entity, current.ETag, cancellationToken);
    }
}
