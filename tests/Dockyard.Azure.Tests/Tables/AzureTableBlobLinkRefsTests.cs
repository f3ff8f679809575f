using Azure.Data.Tables;
using Dockyard.Azure.Tables;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>
/// The reverse index behind IsLinkedAnywhere on what the conformance tests cannot make: links written before it
/// existed (no LinkedAt, no reverse row, no backfill marker) and reverse rows a crash left without their link.
/// </summary>
public sealed class AzureTableBlobLinkRefsTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private AzureTables? tables;

    private AzureTables Tables => tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running");

    public async Task InitializeAsync() => tables = await Azurite.CreateTablesAsync();

    public async Task DisposeAsync()
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(Ct);
        }
    }

    [Fact]
    public async Task Links_written_before_the_reverse_index_are_found_after_its_backfill_and_count_as_linked_long_ago()
    {
        var digest = Digest.Compute("legacy"u8);
        foreach (var repository in new[] { "old/a", "old/b" })
        {
            await Tables["bloblinks"].AddEntityAsync(new TableEntity(TableKey.Escape(repository), TableKey.Escape(digest.Value)) { ["Size"] = 7L }, Ct);
        }
        var store = new AzureTableMetadataStore(Tables);

        Assert.True(await store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.Equal(DateTimeOffset.UnixEpoch, (await store.BlobLinks.GetLinkAsync(RepositoryName.Parse("old/a"), digest, Ct))!.LinkedAt);
        Assert.True(await store.BlobLinks.UnlinkIfStaleAsync(RepositoryName.Parse("old/a"), digest, DateTimeOffset.UtcNow, Ct));
        Assert.True(await store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.True(await store.BlobLinks.UnlinkAsync(RepositoryName.Parse("old/b"), digest, Ct));
        Assert.False(await new AzureTableMetadataStore(Tables).BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.Empty(await AzureTables.QueryAsync(Tables["bloblinkrefs"], AzureTables.Rows(TableKey.Escape(digest.Value)), null, Ct));
    }

    [Fact]
    public async Task A_reverse_row_without_its_link_does_not_keep_a_blob_linked()
    {
        var digest = Digest.Compute("orphan"u8);
        var store = new AzureTableMetadataStore(Tables);
        await store.BlobLinks.LinkAsync(RepositoryName.Parse("app"), Digest.Compute("other"u8), 1, Ct);
        await Tables["bloblinkrefs"].AddEntityAsync(new TableEntity(TableKey.Escape(digest.Value), TableKey.Escape("crashed")), Ct);

        Assert.False(await store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.True(await store.BlobLinks.IsLinkedAnywhereAsync(Digest.Compute("other"u8), Ct));
    }
}
