using Dockyard.Core.Names;

namespace Dockyard.Conformance.Metadata;

/// <summary>Blob links: link, get, unlink, each scoped to its repository.</summary>
public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task A_linked_blob_reports_its_size()
    {
        var digest = D("layer");

        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 4096, Ct);

        Assert.Equal(4096, await Store.BlobLinks.GetAsync(Repo("app"), digest, Ct));
        Assert.Null(await Store.BlobLinks.GetAsync(Repo("app"), D("other"), Ct));
    }

    [Fact]
    public async Task Linking_twice_is_idempotent_and_unlink_removes_the_link()
    {
        var digest = D("layer", Digest.Sha512);
        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 77, Ct);
        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 77, Ct);

        Assert.True(await Store.BlobLinks.UnlinkAsync(Repo("app"), digest, Ct));

        Assert.Null(await Store.BlobLinks.GetAsync(Repo("app"), digest, Ct));
        Assert.False(await Store.BlobLinks.UnlinkAsync(Repo("app"), digest, Ct));
    }

    [Fact]
    public async Task Blob_links_are_scoped_to_their_repository()
    {
        var digest = D("shared");
        await Store.BlobLinks.LinkAsync(Repo("a"), digest, 1, Ct);
        await Store.BlobLinks.LinkAsync(Repo("a/b/c"), digest, 1, Ct);

        Assert.Null(await Store.BlobLinks.GetAsync(Repo("a/b"), digest, Ct));
        Assert.Null(await Store.BlobLinks.GetAsync(Repo("b"), digest, Ct));
        Assert.False(await Store.BlobLinks.UnlinkAsync(Repo("a/b"), digest, Ct));

        Assert.True(await Store.BlobLinks.UnlinkAsync(Repo("a"), digest, Ct));
        Assert.Null(await Store.BlobLinks.GetAsync(Repo("a"), digest, Ct));
        Assert.Equal(1, await Store.BlobLinks.GetAsync(Repo("a/b/c"), digest, Ct));
    }

    [Fact]
    public async Task Blob_links_keep_sizes_beyond_32_bits()
    {
        var digest = D("huge");

        await Store.BlobLinks.LinkAsync(Repo("big"), digest, 5L << 32, Ct);

        Assert.Equal(5L << 32, await Store.BlobLinks.GetAsync(Repo("big"), digest, Ct));
    }
}
