using Azure.Data.Tables;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The reverse index of blob links, so that "is this blob linked anywhere?" reads one partition instead of scanning
/// <c>bloblinks</c>: the <c>bloblinkrefs</c> table, PartitionKey = digest, RowKey = repository, no properties.
/// </summary>
/// <remarks>
/// <para>A reverse row is only a hint: <see cref="IsLinkedAnywhereAsync"/> confirms each by reading its forward row, so
/// a leftover reverse row (a crash, a deleted repository) costs a point read and never keeps a blob alive.</para>
/// <para>What must never happen is a forward row without its reverse row. A link writes the reverse row, then the
/// forward row, then the reverse row again; an unlink deletes the forward row, then the reverse row only in the version
/// it read before it saw the forward row absent. A re-link racing an unlink rewrites the reverse row after its forward
/// row, which either comes after the unlink's delete or changes the version the unlink would delete (412).</para>
/// <para>Links written before this index existed have no reverse rows. Until the one-time backfill has written them
/// (and its marker row), <see cref="IsLinkedAnywhereAsync"/> runs the backfill first: one walk of <c>bloblinks</c>,
/// maintenance work the garbage collector pays once. Every node must run this version before collection starts,
/// or an older node's links lack reverse rows.</para>
/// </remarks>
internal sealed class BlobLinkRefs(AzureTables tables)
{
    private const string MetaPartition = "_meta"; // never an escaped digest (those start with the algorithm)
    private const string BackfillRow = "backfill";

    private readonly SemaphoreSlim backfillLock = new(1, 1);
    private volatile bool backfilled;

    private TableClient Refs => tables["bloblinkrefs"];

    private TableClient Links => tables["bloblinks"];

    public Task WriteAsync(string repositoryKey, string digestKey, CancellationToken cancellationToken) =>
        Refs.UpsertEntityAsync(new TableEntity(digestKey, repositoryKey), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Removes the reverse row after its forward row was deleted, unless a re-link wrote the forward row again.</summary>
    public async Task ForgetAsync(string repositoryKey, string digestKey, CancellationToken cancellationToken)
    {
        if (await AzureTables.GetAsync(Refs, digestKey, repositoryKey, cancellationToken) is not { } reverse
            || await AzureTables.GetAsync(Links, repositoryKey, digestKey, cancellationToken) is not null)
        {
            return;
        }
        await AzureTables.DeleteAsync(Refs, digestKey, repositoryKey, cancellationToken, reverse.ETag);
    }

    public async Task<bool> IsLinkedAnywhereAsync(Digest digest, CancellationToken cancellationToken)
    {
        await EnsureBackfilledAsync(cancellationToken);
        var digestKey = TableKey.Escape(digest.Value);
        await foreach (var reverse in Refs.QueryAsync<TableEntity>(AzureTables.Rows(digestKey), 100, ["RowKey"], cancellationToken))
        {
            if (await AzureTables.GetAsync(Links, reverse.RowKey, digestKey, cancellationToken) is not null)
            {
                return true;
            }
        }
        return false;
    }

    private async Task EnsureBackfilledAsync(CancellationToken cancellationToken)
    {
        if (backfilled)
        {
            return;
        }
        await backfillLock.WaitAsync(cancellationToken);
        try
        {
            if (!backfilled && await AzureTables.GetAsync(Refs, MetaPartition, BackfillRow, cancellationToken) is null)
            {
                await foreach (var link in Links.QueryAsync<TableEntity>((string?)null, 1000, ["PartitionKey", "RowKey"], cancellationToken))
                {
                    await WriteAsync(link.PartitionKey, link.RowKey, cancellationToken);
                }
                await Refs.UpsertEntityAsync(new TableEntity(MetaPartition, BackfillRow) { ["At"] = AzureTables.Time(DateTimeOffset.UtcNow) },
                    TableUpdateMode.Replace, cancellationToken);
            }
            backfilled = true;
        }
        finally
        {
            backfillLock.Release();
        }
    }
}
