using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Metadata;

/// <summary>What quotas read: the bytes linked into and uploading to one namespace's repositories, and a client's open uploads.</summary>
public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task Linked_sizes_are_summed_over_exactly_one_namespace()
    {
        await Store.BlobLinks.LinkAsync(Repo("acme"), Digest.Compute([1]), 1, Ct);
        await Store.BlobLinks.LinkAsync(Repo("acme/app"), Digest.Compute([2]), 20, Ct);
        await Store.BlobLinks.LinkAsync(Repo("acme/app/sub"), Digest.Compute([3]), 300, Ct);
        await Store.BlobLinks.LinkAsync(Repo("acme/web"), Digest.Compute([2]), 20, Ct);
        // Neighbours that share the prefix or sort right beside it belong to other namespaces.
        await Store.BlobLinks.LinkAsync(Repo("acme2/app"), Digest.Compute([4]), 4_000, Ct);
        await Store.BlobLinks.LinkAsync(Repo("acme-x/app"), Digest.Compute([5]), 50_000, Ct);
        await Store.BlobLinks.LinkAsync(Repo("acm/app"), Digest.Compute([6]), 600_000, Ct);

        Assert.Equal(341, await Store.BlobLinks.SumSizesAsync("acme", Ct));
        Assert.Equal(4_000, await Store.BlobLinks.SumSizesAsync("acme2", Ct));
        Assert.Equal(0, await Store.BlobLinks.SumSizesAsync("nobody", Ct));
        await Store.BlobLinks.UnlinkAsync(Repo("acme/web"), Digest.Compute([2]), Ct);
        Assert.Equal(321, await Store.BlobLinks.SumSizesAsync("acme", Ct));
    }

    [Fact]
    public async Task Upload_sizes_and_client_counts_are_kept_per_namespace_and_client()
    {
        await Store.Uploads.CreateAsync(new UploadSession("u1", Repo("acme/app"), [new UploadPart("p1", 100)], Created, "user:alice"), Ct);
        await Store.Uploads.CreateAsync(new UploadSession("u2", Repo("acme/web"), [], Created, "user:alice"), Ct);
        await Store.Uploads.CreateAsync(new UploadSession("u3", Repo("acme2/app"), [new UploadPart("p3", 7)], Created, "address:10.0.0.1"), Ct);
        await Store.Uploads.CreateAsync(new UploadSession("u4", Repo("acme/app"), [], Created), Ct);
        Assert.True(await Store.Uploads.TryAdvanceAsync(Repo("acme/web"), "u2", 0, new UploadPart("p2", 50), Ct));

        Assert.Equal(150, await Store.Uploads.SumSizesAsync("acme", Ct));
        Assert.Equal(7, await Store.Uploads.SumSizesAsync("acme2", Ct));
        Assert.Equal("user:alice", (await Store.Uploads.GetAsync(Repo("acme/web"), "u2", Ct))?.Client);
        Assert.Null((await Store.Uploads.GetAsync(Repo("acme/app"), "u4", Ct))?.Client);
        Assert.Equal(2, await Store.Uploads.CountByClientAsync("user:alice", 10, Ct));
        Assert.Equal(1, await Store.Uploads.CountByClientAsync("user:alice", 1, Ct));
        Assert.Equal(1, await Store.Uploads.CountByClientAsync("address:10.0.0.1", 10, Ct));
        Assert.Equal(0, await Store.Uploads.CountByClientAsync("user:bob", 10, Ct));
        await Store.Uploads.DeleteAsync(Repo("acme/app"), "u1", Ct);
        Assert.Equal(1, await Store.Uploads.CountByClientAsync("user:alice", 10, Ct));
        Assert.Equal(50, await Store.Uploads.SumSizesAsync("acme", Ct));
    }
}
