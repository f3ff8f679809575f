using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>Staging areas: invisibility, writes at the committed offset, reading staged bytes back, removal.</summary>
public abstract partial class BlobStoreConformance
{
    [Fact]
    public async Task A_staged_upload_is_not_visible_as_a_blob_before_publish()
    {
        var content = Content(128);
        await StageAsync(content);
        var digest = Digest.Compute(content);

        Assert.Null(await Store.StatAsync(digest, Ct));
        Assert.Null(await Store.OpenReadAsync(digest, 0, Ct));
    }

    [Fact]
    public async Task Writes_at_the_committed_offset_append()
    {
        var content = Content(300);
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);

        using (var first = new MemoryStream(content[..100]))
        {
            Assert.Equal(100, await Store.WriteUploadAsync(id, 0, first, Ct));
        }
        using (var second = new MemoryStream(content[100..]))
        {
            Assert.Equal(200, await Store.WriteUploadAsync(id, 100, second, Ct));
        }

        Assert.Equal(content, await ReadAllAsync(await Store.OpenUploadAsync(id, 300, Ct)));
    }

    [Fact]
    public async Task A_write_at_an_offset_discards_bytes_past_an_interrupted_write()
    {
        var committed = Content(50, seed: 1);
        var id = await StageAsync([.. committed, .. Content(70, seed: 2)]); // 70 uncommitted bytes of a failed write
        var retry = Content(30, seed: 3);

        using (var source = new MemoryStream(retry))
        {
            Assert.Equal(30, await Store.WriteUploadAsync(id, 50, source, Ct));
        }

        byte[] expected = [.. committed, .. retry];
        Assert.Equal(expected, await ReadAllAsync(await Store.OpenUploadAsync(id, 80, Ct)));
        var digest = Digest.Compute(expected);
        await Store.PublishUploadAsync(id, 80, digest, Ct);
        Assert.Equal(expected, await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task An_empty_write_returns_zero_and_keeps_the_committed_bytes()
    {
        var content = Content(40);
        var id = await StageAsync(content);

        using (var empty = new MemoryStream())
        {
            Assert.Equal(0, await Store.WriteUploadAsync(id, 40, empty, Ct));
        }

        Assert.Equal(content, await ReadAllAsync(await Store.OpenUploadAsync(id, 40, Ct)));
    }

    [Fact]
    public async Task OpenUpload_returns_exactly_length_bytes()
    {
        var content = Content(1000);
        var id = await StageAsync(content);

        Assert.Equal(content[..600], await ReadAllAsync(await Store.OpenUploadAsync(id, 600, Ct)));
        Assert.Equal(content, await ReadAllAsync(await Store.OpenUploadAsync(id, 1000, Ct)));
        Assert.Empty(await ReadAllAsync(await Store.OpenUploadAsync(id, 0, Ct)));
    }

    [Fact]
    public async Task Writes_to_a_missing_upload_throw_KeyNotFoundException()
    {
        using var source = new MemoryStream([1, 2, 3]);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.WriteUploadAsync(NewUploadId(), 0, source, Ct));
    }

    [Fact]
    public async Task DeleteUpload_removes_the_staging_area()
    {
        var id = await StageAsync(Content(10));

        await Store.DeleteUploadAsync(id, Ct);

        using var source = new MemoryStream([1, 2, 3]);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.WriteUploadAsync(id, 0, source, Ct));
    }

    [Fact]
    public async Task DeleteUpload_is_idempotent()
    {
        var id = await StageAsync(Content(10));

        await Store.DeleteUploadAsync(id, Ct);
        await Store.DeleteUploadAsync(id, Ct);
        await Store.DeleteUploadAsync(NewUploadId(), Ct);
    }

    [Fact]
    public async Task Concurrent_uploads_are_independent()
    {
        var contents = Enumerable.Range(0, 8).Select(i => Content(10_000 + i, seed: i)).ToArray();

        var digests = await Task.WhenAll(contents.Select(c => PutBlobAsync(c)));

        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], await ReadBlobAsync(digests[i]));
        }
    }

    [Fact]
    public async Task A_multi_MiB_blob_streamed_in_small_reads_round_trips_byte_identically()
    {
        const long length = (9L << 20) + 12345;
        const int seed = 42;
        const long split = (4L << 20) + 777;
        var digest = PatternDigest(length, seed);
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);

        // Two writes from non-seekable sources that hand out odd-sized pieces, like network bodies.
        await using (var first = new PatternStream(split, seed, maxRead: 4093))
        {
            Assert.Equal(split, await Store.WriteUploadAsync(id, 0, first, Ct));
        }
        await using (var rest = new PatternStream(length - split, seed, maxRead: 65_537, start: split))
        {
            Assert.Equal(length - split, await Store.WriteUploadAsync(id, split, rest, Ct));
        }
        Assert.Equal((digest, length), await HashAsync(await Store.OpenUploadAsync(id, length, Ct)));

        await Store.PublishUploadAsync(id, length, digest, Ct);

        Assert.Equal(length, await Store.StatAsync(digest, Ct));
        Assert.Equal((digest, length), await HashAsync((await Store.OpenReadAsync(digest, 0, Ct))!));
        var tail = await ReadBlobAsync(digest, length - 5000);
        Assert.Equal(PatternStream.Bytes(length - 5000, 5000, seed), tail);
    }
}
