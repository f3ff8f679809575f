using Dockyard.Core.Metadata;

namespace Dockyard.Conformance.Metadata;

/// <summary>Tags: set, replace, get, delete, ordinal listing with exclusive paging, per-repository scope.</summary>
public abstract partial class MetadataStoreConformance
{
    // Ordinal order puts '-' < '.' < digits < upper case < '_' < lower case; case-insensitive collations do not.
    private static readonly string[] TagNames =
        ["latest", "v1.0", "v1.0-rc1", "v1-0", "V2", "v2", "_internal", "1.0", "A", "a", "b", "Z", "v1.10", "v1.9"];

    [Fact]
    public async Task A_set_tag_points_at_its_digest()
    {
        var digest = await PutTaggedAsync(Repo("app"), "m", "latest");

        Assert.Equal(digest, await Store.Tags.GetAsync(Repo("app"), "latest", Ct));
        Assert.Null(await Store.Tags.GetAsync(Repo("app"), "missing", Ct));
        Assert.Null(await Store.Tags.GetAsync(Repo("app"), "LATEST", Ct));
    }

    [Fact]
    public async Task Setting_a_tag_again_replaces_its_target()
    {
        await PutTaggedAsync(Repo("app"), "first", "latest");
        var second = await PutTaggedAsync(Repo("app"), "second", "latest");

        Assert.Equal(second, await Store.Tags.GetAsync(Repo("app"), "latest", Ct));
        Assert.Equal(["latest"], await Store.Tags.ListAsync(Repo("app"), null, 10, Ct));
    }

    [Fact]
    public async Task Delete_removes_a_tag_once_and_leaves_the_manifest()
    {
        var digest = await PutTaggedAsync(Repo("app"), "m", "latest", "v1");

        Assert.True(await Store.Tags.DeleteAsync(Repo("app"), "latest", Ct));

        Assert.Null(await Store.Tags.GetAsync(Repo("app"), "latest", Ct));
        Assert.False(await Store.Tags.DeleteAsync(Repo("app"), "latest", Ct));
        Assert.Equal(digest, await Store.Tags.GetAsync(Repo("app"), "v1", Ct));
        Assert.NotNull(await Store.Manifests.GetAsync(Repo("app"), digest, Ct));
    }

    [Fact]
    public async Task Tags_are_listed_in_ordinal_order()
    {
        await PutTaggedAsync(Repo("app"), "m", TagNames);

        Assert.Equal(Ordinal(TagNames), await Store.Tags.ListAsync(Repo("app"), null, 100, Ct));
    }

    [Fact]
    public async Task Tag_listing_pages_with_a_strictly_exclusive_after()
    {
        await PutTaggedAsync(Repo("app"), "m", TagNames);
        var expected = Ordinal(TagNames);

        Assert.Equal(expected.Take(2), await Store.Tags.ListAsync(Repo("app"), null, 2, Ct));
        Assert.Equal(expected.Skip(5).Take(3), await Store.Tags.ListAsync(Repo("app"), expected[4], 3, Ct));
        Assert.DoesNotContain("v1.0", await Store.Tags.ListAsync(Repo("app"), "v1.0", 100, Ct));
        Assert.Empty(await Store.Tags.ListAsync(Repo("app"), expected[^1], 10, Ct));
        // An after that names no tag starts at the next tag in order.
        Assert.Equal(["v1.9"], await Store.Tags.ListAsync(Repo("app"), "v1.11", 1, Ct));
        for (var size = 1; size <= 4; size++)
        {
            Assert.Equal(expected, await PageThroughAsync((after, limit) => Store.Tags.ListAsync(Repo("app"), after, limit, Ct), size));
        }
    }

    [Fact]
    public async Task Tag_targets_page_as_the_tag_listing_with_each_digest()
    {
        var first = await PutTaggedAsync(Repo("app"), "m", TagNames);
        var second = await PutTaggedAsync(Repo("app"), "n", "v1.9");
        var expected = Ordinal(TagNames).Select(t => new TagTarget(t, t == "v1.9" ? second : first)).ToList();

        Assert.Equal(expected.Take(2), await Store.Tags.ListTargetsAsync(Repo("app"), null, 2, Ct));
        Assert.Equal(expected.Skip(5).Take(3), await Store.Tags.ListTargetsAsync(Repo("app"), expected[4].Tag, 3, Ct));
        Assert.Empty(await Store.Tags.ListTargetsAsync(Repo("app"), expected[^1].Tag, 10, Ct));
        Assert.Empty(await Store.Tags.ListTargetsAsync(Repo("a/b"), null, 10, Ct));
        for (var size = 1; size <= 4; size++)
        {
            Assert.Equal(expected, await PageThroughAsync((after, limit) => Store.Tags.ListTargetsAsync(Repo("app"), after, limit, Ct), size,
                target => target.Tag));
        }
    }

    [Fact]
    public async Task Tags_are_scoped_to_their_repository()
    {
        var parent = await PutTaggedAsync(Repo("a"), "parent", "latest", "only-in-a");
        var child = await PutTaggedAsync(Repo("a/b"), "child", "latest");

        Assert.Equal(parent, await Store.Tags.GetAsync(Repo("a"), "latest", Ct));
        Assert.Equal(child, await Store.Tags.GetAsync(Repo("a/b"), "latest", Ct));
        Assert.Null(await Store.Tags.GetAsync(Repo("a/b"), "only-in-a", Ct));
        Assert.Equal(["latest"], await Store.Tags.ListAsync(Repo("a/b"), null, 10, Ct));
        Assert.Empty(await Store.Tags.ListAsync(Repo("a/b/c"), null, 10, Ct));

        Assert.True(await Store.Tags.DeleteAsync(Repo("a/b"), "latest", Ct));
        Assert.Equal(parent, await Store.Tags.GetAsync(Repo("a"), "latest", Ct));
    }

    [Fact]
    public async Task A_tagged_manifest_is_found_by_its_tag_in_its_repository_only()
    {
        var digest = await PutTaggedAsync(Repo("a"), "m", "latest");
        await PutTaggedAsync(Repo("a/b"), "other", "v1");

        var record = await Store.GetTaggedManifestAsync(Repo("a"), "latest", Ct);
        Assert.Equal(await Store.Manifests.GetAsync(Repo("a"), digest, Ct), record);
        Assert.Null(await Store.GetTaggedManifestAsync(Repo("a"), "LATEST", Ct));
        Assert.Null(await Store.GetTaggedManifestAsync(Repo("a"), "v1", Ct));
        Assert.Null(await Store.GetTaggedManifestAsync(Repo("a/b"), "latest", Ct));

        Assert.True(await Store.Tags.DeleteAsync(Repo("a"), "latest", Ct));
        Assert.Null(await Store.GetTaggedManifestAsync(Repo("a"), "latest", Ct));
    }
}
