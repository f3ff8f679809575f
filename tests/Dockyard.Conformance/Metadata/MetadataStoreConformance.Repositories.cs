namespace Dockyard.Conformance.Metadata;

/// <summary>The repository index: ensure, exists, ordinal listing and paging, names with depth.</summary>
public abstract partial class MetadataStoreConformance
{
    // Separators sort before digits and letters in byte order ('-' < '.' < '/' < '0' < '_' < 'a'), which
    // case-insensitive or linguistic collations get wrong.
    private static readonly string[] RepositoryNames =
        ["ab", "a_b", "a0", "a/b", "a.b", "a-b", "a", "b", "a/b/c", "a__b", "a--b", "z9/x", "library/alpine", "0"];

    [Fact]
    public async Task A_fresh_store_has_no_repositories()
    {
        Assert.Empty(await Store.Repositories.ListAsync(null, 100, Ct));
        Assert.False(await Store.Repositories.ExistsAsync(Repo("anything"), Ct));
    }

    [Fact]
    public async Task Ensure_records_a_repository_once()
    {
        await Store.Repositories.EnsureAsync(Repo("library/alpine"), Ct);
        await Store.Repositories.EnsureAsync(Repo("library/alpine"), Ct);

        Assert.True(await Store.Repositories.ExistsAsync(Repo("library/alpine"), Ct));
        Assert.Equal(["library/alpine"], await Store.Repositories.ListAsync(null, 100, Ct));
    }

    [Fact]
    public async Task Repositories_are_listed_in_ordinal_order()
    {
        foreach (var name in RepositoryNames)
        {
            await Store.Repositories.EnsureAsync(Repo(name), Ct);
        }

        Assert.Equal(Ordinal(RepositoryNames), await Store.Repositories.ListAsync(null, 100, Ct));
    }

    [Fact]
    public async Task Repository_listing_pages_with_an_exclusive_after()
    {
        foreach (var name in RepositoryNames)
        {
            await Store.Repositories.EnsureAsync(Repo(name), Ct);
        }
        var expected = Ordinal(RepositoryNames);

        Assert.Equal(expected.Take(3), await Store.Repositories.ListAsync(null, 3, Ct));
        Assert.Equal(expected.Skip(4).Take(2), await Store.Repositories.ListAsync(expected[3], 2, Ct));
        Assert.Empty(await Store.Repositories.ListAsync(expected[^1], 10, Ct));
        // An after that names no repository starts at the next one in order.
        Assert.Equal(["a/b", "a/b/c"], await Store.Repositories.ListAsync("a.c", 2, Ct));
        for (var size = 1; size <= 5; size++)
        {
            Assert.Equal(expected, await PageThroughAsync((after, limit) => Store.Repositories.ListAsync(after, limit, Ct), size));
        }
    }

    [Fact]
    public async Task Nested_repository_names_are_distinct_repositories()
    {
        await Store.Repositories.EnsureAsync(Repo("a/b/c"), Ct);

        Assert.True(await Store.Repositories.ExistsAsync(Repo("a/b/c"), Ct));
        Assert.False(await Store.Repositories.ExistsAsync(Repo("a"), Ct));
        Assert.False(await Store.Repositories.ExistsAsync(Repo("a/b"), Ct));
        Assert.False(await Store.Repositories.ExistsAsync(Repo("a/b/c/d"), Ct));
        Assert.Equal(["a/b/c"], await Store.Repositories.ListAsync(null, 10, Ct));
    }

    [Fact]
    public async Task Linking_a_blob_putting_a_manifest_and_starting_an_upload_create_the_repository()
    {
        await Store.BlobLinks.LinkAsync(Repo("one"), D("blob"), 10, Ct);
        await Store.Manifests.PutAsync(Repo("two"), Manifest("m"), Ct);
        await Store.Uploads.CreateAsync(new(Guid.NewGuid().ToString("N"), Repo("three/deep"), [], Created), Ct);

        Assert.Equal(["one", "three/deep", "two"], await Store.Repositories.ListAsync(null, 10, Ct));
    }
}
