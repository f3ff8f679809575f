using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Paging;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Paging;

/// <summary>Core's tag and catalog paging, run against the SQLite store.</summary>
public sealed class ListingServiceTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Repo = RepositoryName.Parse("app");
    private readonly TempFolder folder = new();
    private readonly SqliteMetadataStore metadata;
    private readonly ListingService listing;

    public ListingServiceTests()
    {
        metadata = new SqliteMetadataStore(folder.Combine("metadata.db"));
        listing = new ListingService(metadata);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    private async Task TagAsync(params string[] tags)
    {
        var digest = Digest.Compute([1]);
        await metadata.Manifests.PutAsync(Repo, new ManifestRecord(digest, "application/vnd.oci.image.manifest.v1+json", 1, null, null, null, DateTimeOffset.UnixEpoch), Ct);
        foreach (var tag in tags)
        {
            await metadata.Tags.SetAsync(Repo, tag, digest, Ct);
        }
    }

    [Fact]
    public async Task Tags_of_an_unknown_repository_are_NameUnknown()
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => listing.ListTagsAsync(RepositoryName.Parse("nope"), new PageRequest(null, null), Ct));

        Assert.Equal(RegistryErrorCode.NameUnknown, error.Code);
    }

    [Fact]
    public async Task A_repository_without_tags_lists_an_empty_page()
    {
        await metadata.Repositories.EnsureAsync(Repo, Ct);

        var page = await listing.ListTagsAsync(Repo, new PageRequest(null, null), Ct);

        Assert.Empty(page.Items);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task Pages_say_whether_more_follow()
    {
        await TagAsync("a", "b", "c", "d", "e");

        var first = await listing.ListTagsAsync(Repo, PageRequest.Parse("2", null), Ct);
        var middle = await listing.ListTagsAsync(Repo, PageRequest.Parse("2", "b"), Ct);
        var last = await listing.ListTagsAsync(Repo, PageRequest.Parse("2", "d"), Ct);
        var exact = await listing.ListTagsAsync(Repo, PageRequest.Parse("5", null), Ct);

        Assert.Equal(["a", "b"], first.Items);
        Assert.True(first.HasMore);
        Assert.Equal(["c", "d"], middle.Items);
        Assert.True(middle.HasMore);
        Assert.Equal(["e"], last.Items);
        Assert.False(last.HasMore);
        Assert.Equal(5, exact.Items.Count);
        Assert.False(exact.HasMore);
    }

    [Fact]
    public async Task N_zero_returns_an_empty_page()
    {
        await TagAsync("a");

        var page = await listing.ListTagsAsync(Repo, PageRequest.Parse("0", null), Ct);

        Assert.Empty(page.Items);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task The_catalog_pages_through_repositories_in_order()
    {
        foreach (var name in new[] { "b", "a/b", "a", "c/d/e" })
        {
            await metadata.Repositories.EnsureAsync(RepositoryName.Parse(name), Ct);
        }

        var first = await listing.ListRepositoriesAsync(PageRequest.Parse("3", null), null, Ct);
        var rest = await listing.ListRepositoriesAsync(PageRequest.Parse("3", first.Items[^1]), null, Ct);

        Assert.Equal(["a", "a/b", "b"], first.Items);
        Assert.True(first.HasMore);
        Assert.Equal(["c/d/e"], rest.Items);
        Assert.False(rest.HasMore);
    }

    [Fact]
    public async Task A_filtered_catalog_fills_its_pages_with_visible_names_only()
    {
        for (var i = 0; i < 250; i++)
        {
            await metadata.Repositories.EnsureAsync(RepositoryName.Parse($"r{i:D3}"), Ct);
        }
        Func<string, Task<bool>> everyTenth = name => Task.FromResult(name.EndsWith('0'));

        var first = await listing.ListRepositoriesAsync(PageRequest.Parse("20", null), everyTenth, Ct);
        var rest = await listing.ListRepositoriesAsync(PageRequest.Parse("20", first.Items[^1]), everyTenth, Ct);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"r{i * 10:D3}"), first.Items);
        Assert.True(first.HasMore);
        Assert.Equal(["r200", "r210", "r220", "r230", "r240"], rest.Items);
        Assert.False(rest.HasMore);
    }
}
