using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Garbage collection's ledger in the <c>gcledger</c> table: condemned blobs as rows of partition <c>c</c> (RowKey =
/// digest), the collector's lease as the one row <c>lease</c>/<c>lease</c> (Holder, Until), changed only by an
/// insert-if-absent or a write conditional on the ETag read.
/// </summary>
internal sealed class AzureTableCollectionLedger(AzureTables tables) : ICollectionLedger
{
    private const string Condemned = "c";
    private const string Lease = "lease";
    private const int MaxAttempts = 10;

    // Azure Tables allows at most 15 comparisons in one filter: the partition's and 14 digests.
    private const int FilterBatch = 14;

    private TableClient Table => tables["gcledger"];

    public Task CondemnAsync(Digest digest, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Table, new TableEntity(Condemned, TableKey.Escape(digest.Value)) { ["At"] = AzureTables.Time(DateTimeOffset.UtcNow) },
            cancellationToken);

    public Task ReleaseAsync(Digest digest, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Table, Condemned, TableKey.Escape(digest.Value), cancellationToken);

    public async Task<IReadOnlyCollection<Digest>> FindCondemnedAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var condemned = new List<Digest>();
        foreach (var batch in digests.Distinct().Chunk(FilterBatch))
        {
            var keys = string.Join(" or ", batch.Select(d => TableClient.CreateQueryFilter($"RowKey eq {TableKey.Escape(d.Value)}")));
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Condemned}") + " and (" + keys + ")";
            condemned.AddRange((await AzureTables.QueryAsync(Table, filter, null, cancellationToken)).Select(r => Digest.Parse(TableKey.Unescape(r.RowKey))));
        }
        return condemned;
    }

    public async Task<bool> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var lease = new TableEntity(Lease, Lease) { ["Holder"] = holder, ["Until"] = AzureTables.Time(now + duration) };
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await AzureTables.GetAsync(Table, Lease, Lease, cancellationToken) is not { } current)
            {
                if (await AzureTables.TryAddAsync(Table, lease, cancellationToken))
                {
                    return true;
                }
                continue; // another holder took it just now: read theirs
            }
            if (current.GetString("Holder") != holder && AzureTables.ParseTime(current.GetString("Until")) >= now)
            {
                return false;
            }
            try
            {
                await Table.UpdateEntityAsync(lease, current.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
            }
        }
        return false;
    }

    public async Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        if (await AzureTables.GetAsync(Table, Lease, Lease, cancellationToken) is { } current && current.GetString("Holder") == holder)
        {
            await AzureTables.DeleteAsync(Table, Lease, Lease, cancellationToken, current.ETag);
        }
    }
}
