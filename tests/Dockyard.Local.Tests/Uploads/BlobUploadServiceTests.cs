using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Local.FileSystem;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Uploads;

/// <summary>The upload state machine of Core, run against the real local stores.</summary>
public sealed partial class BlobUploadServiceTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Repo = RepositoryName.Parse("team/app");
    private readonly TempFolder folder = new();
    private readonly FileSystemBlobStore blobs;
    private readonly SqliteMetadataStore metadata;
    private readonly BlobUploadService service;

    public BlobUploadServiceTests()
    {
        blobs = new FileSystemBlobStore(folder.Combine("data"));
        metadata = new SqliteMetadataStore(folder.Combine("data", "metadata.db"));
        service = NewNode();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    /// <summary>Another registry node: same stores, its own (empty) hash cache.</summary>
    private BlobUploadService NewNode() =>
        new(blobs, metadata, new UploadHashCache(), new BlobLinker(blobs, metadata, new CollectionOptions(), TimeProvider.System), TimeProvider.System);

    private static byte[] Content(int length, int seed = 1)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private Task<long> AppendAsync(BlobUploadService node, string id, byte[] chunk, long start) =>
        node.AppendAsync(Repo, id, new MemoryStream(chunk), new ContentRange(start, start + chunk.Length - 1), chunk.Length, Ct);

    private Task<long> CompleteAsync(BlobUploadService node, string id, Digest digest, byte[]? last = null) =>
        node.CompleteAsync(Repo, id, digest, new MemoryStream(last ?? []), null, last?.Length ?? 0, Ct);

    private async Task AssertPublishedAsync(byte[] content, Digest digest)
    {
        Assert.Equal(content.Length, await blobs.StatAsync(digest, Ct));
        await using var stream = (await blobs.OpenReadAsync(digest, 0, Ct))!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(content.Length, await metadata.BlobLinks.GetAsync(Repo, digest, Ct));
    }

    [Fact]
    public async Task Start_creates_an_empty_session_in_the_repository()
    {
        var session = await service.StartAsync(Repo, Ct);

        Assert.Matches("^[0-9a-f]{32}$", session.Id);
        Assert.Equal(0, session.Size);
        Assert.Equal(session, await service.GetAsync(Repo, session.Id, Ct));
        Assert.True(await metadata.Repositories.ExistsAsync(Repo, Ct));
        Assert.True(Directory.Exists(folder.Combine("data", "uploads", session.Id)));
        Assert.Empty(session.Parts);
    }

    [Fact]
    public async Task Chunks_appended_in_order_complete_into_a_published_linked_blob()
    {
        var content = Content(10_000);
        var digest = Digest.Compute(content);
        var session = await service.StartAsync(Repo, Ct);

        Assert.Equal(4000, await AppendAsync(service, session.Id, content[..4000], 0));
        Assert.Equal(9000, await AppendAsync(service, session.Id, content[4000..9000], 4000));
        Assert.Equal(9000, (await service.GetAsync(Repo, session.Id, Ct)).Size);
        Assert.Equal(10_000, await CompleteAsync(service, session.Id, digest, content[9000..]));

        await AssertPublishedAsync(content, digest);
        Assert.Null(await metadata.Uploads.GetAsync(Repo, session.Id, Ct));
        Assert.False(Directory.Exists(folder.Combine("data", "uploads", session.Id)));
        var gone = await Assert.ThrowsAsync<RegistryException>(() => service.GetAsync(Repo, session.Id, Ct));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, gone.Code);
    }

    [Fact]
    public async Task A_streamed_body_without_range_appends_to_its_end()
    {
        var content = Content(70_000, seed: 2);
        var digest = Digest.Compute(content);
        var session = await service.StartAsync(Repo, Ct);

        Assert.Equal(70_000, await service.AppendAsync(Repo, session.Id, new MemoryStream(content), null, null, Ct));
        await CompleteAsync(service, session.Id, digest);

        await AssertPublishedAsync(content, digest);
    }

    [Fact]
    public async Task A_monolithic_complete_without_patches_publishes()
    {
        var content = Content(1234, seed: 3);
        var digest = Digest.Compute(content);
        var session = await service.StartAsync(Repo, Ct);

        Assert.Equal(1234, await CompleteAsync(service, session.Id, digest, content));

        await AssertPublishedAsync(content, digest);
    }

    [Fact]
    public async Task An_empty_blob_completes()
    {
        var digest = Digest.Compute([]);
        var session = await service.StartAsync(Repo, Ct);

        Assert.Equal(0, await CompleteAsync(service, session.Id, digest));

        await AssertPublishedAsync([], digest);
    }

    [Fact]
    public async Task Another_node_without_the_hash_state_continues_and_completes_the_upload()
    {
        var content = Content(300_000, seed: 4);
        var digest = Digest.Compute(content);
        var session = await service.StartAsync(Repo, Ct);
        await AppendAsync(service, session.Id, content[..100_000], 0);

        await AppendAsync(NewNode(), session.Id, content[100_000..200_000], 100_000);
        await AppendAsync(service, session.Id, content[200_000..250_000], 200_000); // this node's state is stale now
        await CompleteAsync(NewNode(), session.Id, digest, content[250_000..]);

        await AssertPublishedAsync(content, digest);
    }

    [Fact]
    public async Task Bytes_left_by_an_interrupted_write_are_not_hashed_by_another_node()
    {
        var content = Content(20_000, seed: 5);
        var digest = Digest.Compute(content);
        var session = await service.StartAsync(Repo, Ct);
        await AppendAsync(service, session.Id, content[..8000], 0);
        // A node died after writing a part of 5000 bytes it never committed.
        await blobs.WriteUploadPartAsync(session.Id, Guid.NewGuid().ToString("N"), new MemoryStream(Content(5000, seed: 6)), Ct);

        await AppendAsync(NewNode(), session.Id, content[8000..], 8000);
        await CompleteAsync(NewNode(), session.Id, digest);

        await AssertPublishedAsync(content, digest);
    }

    [Fact]
    public async Task A_sha512_digest_completes()
    {
        var content = Content(50_000, seed: 7);
        var digest = Digest.Compute(content, Digest.Sha512);
        var session = await service.StartAsync(Repo, Ct);
        await AppendAsync(service, session.Id, content[..20_000], 0);

        await CompleteAsync(NewNode(), session.Id, digest, content[20_000..]);

        await AssertPublishedAsync(content, digest);
        Assert.True(File.Exists(folder.Combine("data", "blobs", "sha512", digest.Hex[..2], digest.Hex)));
    }

    [Fact]
    public async Task Uploading_a_blob_that_exists_keeps_it_and_links_it()
    {
        var content = Content(3000, seed: 9);
        var digest = Digest.Compute(content);
        var first = await service.StartAsync(Repo, Ct);
        await CompleteAsync(service, first.Id, digest, content);
        var other = RepositoryName.Parse("other");
        var second = await service.StartAsync(other, Ct);

        await service.CompleteAsync(other, second.Id, digest, new MemoryStream(content), null, content.Length, Ct);

        await AssertPublishedAsync(content, digest);
        Assert.Equal(3000, await metadata.BlobLinks.GetAsync(other, digest, Ct));
    }

    [Fact]
    public async Task Mount_links_a_blob_from_a_repository_that_holds_it()
    {
        var content = Content(500, seed: 10);
        var digest = Digest.Compute(content);
        var session = await service.StartAsync(Repo, Ct);
        await CompleteAsync(service, session.Id, digest, content);
        var target = RepositoryName.Parse("mirror/app");

        Assert.Null(await service.TryMountAsync(target, digest, RepositoryName.Parse("nowhere"), Ct));
        Assert.Null(await metadata.BlobLinks.GetAsync(target, digest, Ct));
        Assert.Equal(500, await service.TryMountAsync(target, digest, Repo, Ct));
        Assert.Equal(500, await metadata.BlobLinks.GetAsync(target, digest, Ct));
        Assert.Null(await service.TryMountAsync(target, Digest.Compute([1]), Repo, Ct));
    }
}
