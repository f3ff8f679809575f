using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>Published blobs: absence, visibility after publish, reads with offsets, deletion, both algorithms.</summary>
public abstract partial class BlobStoreConformance
{
    [Fact]
    public async Task Stat_of_an_absent_blob_is_null()
    {
        Assert.Null(await Store.StatAsync(AbsentDigest(), Ct));
        Assert.Null(await Store.StatAsync(AbsentDigest(Digest.Sha512), Ct));
    }

    [Fact]
    public async Task OpenRead_of_an_absent_blob_is_null()
    {
        Assert.Null(await Store.OpenReadAsync(AbsentDigest(), 0, Ct));
        Assert.Null(await Store.OpenReadAsync(AbsentDigest(Digest.Sha512), 0, Ct));
    }

    [Fact]
    public async Task Delete_of_an_absent_blob_is_false()
    {
        Assert.False(await Store.DeleteAsync(AbsentDigest(), Ct));
        Assert.False(await Store.DeleteAsync(AbsentDigest(Digest.Sha512), Ct));
    }

    [Fact]
    public async Task Publish_makes_the_blob_visible_with_its_size_and_bytes()
    {
        var content = Content(1000);
        var digest = await PutBlobAsync(content);

        Assert.Equal(1000, await Store.StatAsync(digest, Ct));
        Assert.Equal(content, await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task Publish_of_several_parts_is_their_concatenation()
    {
        var content = Content(3000, seed: 4);
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);
        UploadPart[] parts = [await WritePartAsync(id, content[..1000]), await WritePartAsync(id, content[1000..1001]), await WritePartAsync(id, content[1001..])];
        var digest = Digest.Compute(content);

        await Store.PublishUploadAsync(id, parts, digest, Ct);

        Assert.Equal(3000, await Store.StatAsync(digest, Ct));
        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.True(await UploadIsGoneAsync(id));
    }

    [Fact]
    public async Task Publish_keeps_only_the_given_parts()
    {
        var content = Content(300);
        var (id, parts) = await StageAsync(content[..200]);
        await WritePartAsync(id, content[200..]); // written but never committed
        var digest = Digest.Compute(content.AsSpan(0, 200));

        await Store.PublishUploadAsync(id, parts, digest, Ct);

        Assert.Equal(200, await Store.StatAsync(digest, Ct));
        Assert.Equal(content[..200], await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task An_empty_blob_can_be_published_and_read()
    {
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);
        var digest = Digest.Compute([]);

        await Store.PublishUploadAsync(id, [], digest, Ct);

        Assert.Equal(0, await Store.StatAsync(digest, Ct));
        Assert.Empty((await ReadBlobAsync(digest))!);
    }

    [Fact]
    public async Task Publishing_an_existing_digest_keeps_the_blob_and_removes_the_staging_area()
    {
        var content = Content(512);
        var digest = await PutBlobAsync(content);
        var (second, parts) = await StageAsync(Content(512, seed: 9)); // different bytes: the existing blob must win

        await Store.PublishUploadAsync(second, parts, digest, Ct);

        Assert.Equal(content.Length, await Store.StatAsync(digest, Ct));
        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.True(await UploadIsGoneAsync(second));
    }

    [Fact]
    public async Task Publish_removes_the_staging_area()
    {
        var content = Content(64);
        var (id, parts) = await StageAsync(content);

        await Store.PublishUploadAsync(id, parts, Digest.Compute(content), Ct);

        Assert.True(await UploadIsGoneAsync(id));
    }

    [Fact]
    public async Task Publish_of_a_missing_upload_throws_KeyNotFoundException_and_publishes_nothing()
    {
        var digest = Digest.Compute(Content(10));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.PublishUploadAsync(NewUploadId(), [new UploadPart(NewUploadId(), 10)], digest, Ct));

        Assert.Null(await Store.StatAsync(digest, Ct));
    }

    [Fact]
    public async Task OpenRead_starts_at_the_offset()
    {
        var content = Content(4096, seed: 7);
        var digest = await PutBlobAsync(content);

        Assert.Equal(content[1000..], await ReadBlobAsync(digest, 1000));
        Assert.Equal(content[4095..], await ReadBlobAsync(digest, 4095));
        Assert.Empty((await ReadBlobAsync(digest, 4096))!);
    }

    [Fact]
    public async Task Delete_removes_a_published_blob()
    {
        var digest = await PutBlobAsync(Content(100));

        Assert.True(await Store.DeleteAsync(digest, Ct));

        Assert.Null(await Store.StatAsync(digest, Ct));
        Assert.Null(await Store.OpenReadAsync(digest, 0, Ct));
        Assert.False(await Store.DeleteAsync(digest, Ct));
    }

    [Fact]
    public async Task Sha512_blobs_are_published_read_and_deleted()
    {
        var content = Content(2048, seed: 3);
        var digest = await PutBlobAsync(content, Digest.Sha512);

        Assert.Equal(Digest.Sha512, digest.Algorithm);
        Assert.Equal(2048, await Store.StatAsync(digest, Ct));
        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Equal(content[2000..], await ReadBlobAsync(digest, 2000));
        Assert.True(await Store.DeleteAsync(digest, Ct));
        Assert.Null(await Store.StatAsync(digest, Ct));
    }

    [Fact]
    public async Task The_same_bytes_under_sha256_and_sha512_are_distinct_blobs()
    {
        var content = Content(256, seed: 5);
        var sha256 = await PutBlobAsync(content);
        var sha512 = await PutBlobAsync(content, Digest.Sha512);

        Assert.True(await Store.DeleteAsync(sha256, Ct));

        Assert.Null(await Store.StatAsync(sha256, Ct));
        Assert.Equal(content, await ReadBlobAsync(sha512));
    }

    [Fact]
    public async Task Blobs_with_the_same_first_hex_digits_do_not_interfere()
    {
        // Stores that fan out by digest prefix must still key by the whole digest.
        var digests = new List<(Digest Digest, byte[] Content)>();
        for (var seed = 0; seed < 40; seed++)
        {
            var content = Content(32 + seed, seed);
            digests.Add((await PutBlobAsync(content), content));
        }

        foreach (var (digest, content) in digests)
        {
            Assert.Equal(content, await ReadBlobAsync(digest));
        }
    }
}
