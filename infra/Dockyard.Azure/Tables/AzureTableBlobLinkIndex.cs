using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>The <c>bloblinks</c> table: PartitionKey = repository, RowKey = digest, property Size.</summary>
internal sealed class AzureTableBlobLinkIndex(AzureTables tables) : IBlobLinkIndex
{
    private TableClient Table => tables["bloblinks"];

    public async Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        // The repository first: a crash in between leaves an empty repository listed, never an unlisted link.
        await AzureTableRepositoryIndex.EnsureAsync(tables, repository, cancellationToken);
        await Table.UpsertEntityAsync(new TableEntity(TableKey.Escape(repository.Value), TableKey.Escape(digest.Value)) { ["Size"] = size },
            TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<long?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        (await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Escape(digest.Value), cancellationToken))?.GetInt64("Size");

    public Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Table, TableKey.Escape(repository.Value), TableKey.Escape(digest.Value), cancellationToken);

    public Task<BlobLink?> GetLinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

    public Task<bool> UnlinkIfStaleAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

    public Task<IReadOnlyList<BlobLink>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

    public Task<bool> IsLinkedAnywhereAsync(Digest digest, CancellationToken cancellationToken) => throw new NotImplementedException("PENDING-GC");

    public Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        AzureTables.SumAsync(Table, AzureTables.Namespace(@namespace), "Size", cancellationToken);
}
