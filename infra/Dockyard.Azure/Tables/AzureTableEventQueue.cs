using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Events;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The notification outbox (<see cref="IEventQueue"/>) in Azure Tables. <c>events</c>: one partition per endpoint
/// (escaped name), RowKey the event's sequence, so a partition read in key order is the queue in order whichever node
/// wrote it. <c>eventleases</c>: one row per endpoint, taken and renewed by ETag-conditional writes. An enqueue for
/// several endpoints writes one partition after the other (no transaction spans partitions).
/// </summary>
public sealed class AzureTableEventQueue(AzureTables tables) : IEventQueue
{
    private const string LeaseRow = "lease";
    private TableClient Events => tables["events"];
    private TableClient Leases => tables["eventleases"];

    public async Task EnqueueAsync(IReadOnlyList<string> endpoints, string sequence, string payload, CancellationToken cancellationToken)
    {
        foreach (var endpoint in endpoints)
        {
            // A conflict means a retried enqueue already wrote this row: the event is queued once either way.
            await AzureTables.TryAddAsync(Events, new TableEntity(TableKey.Escape(endpoint), sequence)
            {
                ["Payload"] = payload,
                ["Attempts"] = 0,
            }, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<QueuedEvent>> PeekAsync(string endpoint, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Events, AzureTables.Rows(TableKey.Escape(endpoint)), limit, cancellationToken))
            .Select(e => new QueuedEvent(endpoint, e.RowKey, e.GetString("Payload"), e.GetInt32("Attempts") ?? 0, e.GetDateTimeOffset("LastAttempt")))];

    public async Task RemoveAsync(string endpoint, IReadOnlyList<string> sequences, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(endpoint);
        foreach (var sequence in sequences)
        {
            await AzureTables.DeleteAsync(Events, partition, sequence, cancellationToken);
        }
    }

    public async Task RecordFailureAsync(string endpoint, string sequence, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await AzureTables.GetAsync(Events, TableKey.Escape(endpoint), sequence, cancellationToken) is not { } entity)
        {
            return;
        }
        entity["Attempts"] = (entity.GetInt32("Attempts") ?? 0) + 1;
        entity["LastAttempt"] = at;
        try
        {
            await Events.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Delivered and removed meanwhile, or another node counted its own attempt: nothing left to record.
        }
    }

    public async Task<bool> TryLeaseAsync(string endpoint, string holder, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(endpoint);
        var lease = new TableEntity(partition, LeaseRow) { ["Holder"] = holder, ["ExpiresAt"] = now + ttl };
        if (await AzureTables.GetAsync(Leases, partition, LeaseRow, cancellationToken) is not { } current)
        {
            return await AzureTables.TryAddAsync(Leases, lease, cancellationToken);
        }
        if (current.GetString("Holder") != holder && current.GetDateTimeOffset("ExpiresAt") > now)
        {
            return false;
        }
        try
        {
            await Leases.UpdateEntityAsync(lease, current.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Another node took or released it between our read and write.
            return false;
        }
    }

    public async Task ReleaseAsync(string endpoint, string holder, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(endpoint);
        if (await AzureTables.GetAsync(Leases, partition, LeaseRow, cancellationToken) is { } current && current.GetString("Holder") == holder)
        {
            await AzureTables.DeleteAsync(Leases, partition, LeaseRow, cancellationToken, current.ETag);
        }
    }
}
