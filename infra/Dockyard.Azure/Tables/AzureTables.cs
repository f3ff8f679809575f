using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Data.Tables;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The tables of one Dockyard installation (every name is <c>prefix + kind</c>) and the few operations the stores
/// build on: conditional add, delete, ranged queries and chunked entity group transactions.
/// </summary>
public sealed class AzureTables
{
    /// <summary>The kinds of table the metadata, account, notification, signature, V1, appc, volume lease, P2P, session key and GC history stores use.</summary>
    public static readonly string[] Kinds = ["repositories", "bloblinks", "manifests", "uploads", "namespaces", "organizations", "policies",
        "bloblinkrefs", "gcledger", "events", "eventleases", "signatures", "v1images", "v1repositoryimages", "v1imagerepositories", "v1tags",
        "aciimages", "aciuploads", "acikeys", "aciconversions", "volumeleases", "peers", "pieces", "sessionkeys", "gcruns"];

    private const int MaxBatch = 100;

    private readonly TableServiceClient service;
    private readonly string prefix;

    // Private: every instance comes from FromOptions, so no table client lacks the fault policy.
    private AzureTables(TableServiceClient service, string prefix)
    {
        this.service = service;
        this.prefix = prefix;
    }

    /// <summary>
    /// Tables on the service the options name; every call made through them reports a transient fault (after the
    /// retries of <paramref name="clientOptions"/>, the SDK's defaults when null) as a
    /// <see cref="Core.Errors.StorageUnavailableException"/> (see <see cref="TableFaultPolicy"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the <c>[azure]</c> keys.</exception>
    public static AzureTables FromOptions(AzureTableOptions options, TableClientOptions? clientOptions = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }
        clientOptions ??= new TableClientOptions();
        clientOptions.AddPolicy(new TableFaultPolicy(), HttpPipelinePosition.PerCall);
        try
        {
            return new AzureTables(new TableServiceClient(options.ConnectionString, clientOptions), options.TablePrefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"[azure] connectionstring: not a valid storage connection string ({e.Message})", nameof(options), e);
        }
    }

    /// <summary>What every table name starts with.</summary>
    public string Prefix => prefix;

    public TableClient this[string kind] => service.GetTableClient(prefix + kind);

    /// <summary>Creates every table that does not exist yet.</summary>
    public async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in Kinds)
        {
            await this[kind].CreateIfNotExistsAsync(cancellationToken);
        }
    }

    /// <summary>Deletes every table (test clean-up and uninstall); data is gone.</summary>
    public async Task DeleteTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in Kinds)
        {
            await this[kind].DeleteAsync(cancellationToken);
        }
    }

    /// <summary>The entity; null when absent.</summary>
    public static async Task<TableEntity?> GetAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds the entity; false (and no change) when one with its keys exists.</summary>
    public static async Task<bool> TryAddAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the entity if it is still in the version <paramref name="etag"/> (If-Match); false when it changed or is gone.</summary>
    public static async Task<bool> TryReplaceAsync(TableClient table, TableEntity entity, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Deletes the entity (only in the version <paramref name="etag"/> when given); false when absent or changed.</summary>
    public static async Task<bool> DeleteAsync(TableClient table, string partition, string row, CancellationToken cancellationToken, ETag? etag = null)
    {
        try
        {
            var response = await table.DeleteEntityAsync(partition, row, etag ?? ETag.All, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Up to <paramref name="limit"/> entities matching <paramref name="filter"/> in key order (null: all).</summary>
    public static async Task<List<TableEntity>> QueryAsync(TableClient table, string filter, int? limit, CancellationToken cancellationToken)
    {
        var result = new List<TableEntity>();
        if (limit is <= 0)
        {
            return result;
        }
        var pageSize = limit is { } l ? Math.Min(l, 1000) : (int?)null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            result.Add(entity);
            if (result.Count == limit)
            {
                break;
            }
        }
        return result;
    }

    /// <summary>A filter for one partition, rows strictly after <paramref name="after"/> (null: all) and, when given, strictly before <paramref name="before"/>.</summary>
    public static string Rows(string partition, string? after = null, string? before = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }
        if (before is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {before}");
        }
        return filter;
    }

    /// <summary>
    /// A filter for the partitions of one namespace's repositories (partition key = escaped repository name): the one
    /// named like the namespace and those under <c>ns/</c>, a range because escaping keeps the order.
    /// </summary>
    public static string Namespace(string @namespace) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {TableKey.Escape(@namespace)} or (PartitionKey ge {TableKey.Escape(@namespace + "/")} and PartitionKey lt {TableKey.Escape(@namespace + "0")})");

    /// <summary>The sum of the Int64 property <paramref name="property"/> over the entities matching <paramref name="filter"/>, read a page at a time.</summary>
    public static async Task<long> SumAsync(TableClient table, string filter, string property, CancellationToken cancellationToken)
    {
        long sum = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, 1000, [property], cancellationToken))
        {
            sum += entity.GetInt64(property) ?? 0;
        }
        return sum;
    }

    /// <summary>A filter for the rows of one partition whose keys start with the composite <paramref name="parts"/> (see <see cref="TableKey.Range"/>).</summary>
    public static string Prefixed(string partition, params string[] parts)
    {
        var (low, high) = TableKey.Range(parts);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey lt {high}");
    }

    /// <summary>
    /// Runs the actions (all in one partition) as entity group transactions of at most 100, in order; each batch is
    /// atomic, the sequence is not, so callers put the action that makes a change visible last.
    /// </summary>
    public static async Task SubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        for (var start = 0; start < actions.Count; start += MaxBatch)
        {
            await table.SubmitTransactionAsync(actions.Skip(start).Take(MaxBatch), cancellationToken);
        }
    }

    /// <summary>Deletes every entity of the partition matching <paramref name="filter"/>; the last batch holds the last rows in key order.</summary>
    public static async Task DeleteAllAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var rows = await QueryAsync(table, filter, null, cancellationToken);
                foreach (var partition in rows.GroupBy(r => r.PartitionKey))
                {
                    await SubmitAsync(table, [.. partition.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All))], cancellationToken);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt < 5)
            {
                // A row was removed concurrently, which fails its whole batch; read what is left and go on.
            }
        }
    }

    /// <summary>Fixed-width UTC ISO 8601, so that string order is time order (and filters can compare it).</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
