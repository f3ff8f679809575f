using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>Staging areas: invisibility, immutable parts, reading exactly the given parts back, removal.</summary>
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
    public async Task OpenUpload_reads_exactly_the_given_parts_in_order()
    {
        var content = Content(300);
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);

        var first = await WritePartAsync(id, content[..100]);
        var second = await WritePartAsync(id, content[100..250]);
        var third = await WritePartAsync(id, content[250..]);

        Assert.Equal(content, await ReadAllAsync(await Store.OpenUploadAsync(id, [first, second, third], Ct)));
        Assert.Equal(content[..250], await ReadAllAsync(await Store.OpenUploadAsync(id, [first, second], Ct)));
        byte[] swapped = [.. content[100..250], .. content[..100]];
        Assert.Equal(swapped, await ReadAllAsync(await Store.OpenUploadAsync(id, [second, first], Ct)));
        Assert.Empty(await ReadAllAsync(await Store.OpenUploadAsync(id, [], Ct)));
    }

    [Fact]
    public async Task A_part_that_lost_the_race_never_changes_the_committed_bytes()
    {
        // Two writers append at the same offset; the metadata store commits the winner's part only.
        var committed = Content(50_000, seed: 1);
        var winner = Content(70_000, seed: 2);
        var loser = Content(70_000, seed: 3);
        var (id, parts) = await StageAsync(committed);

        var written = await Task.WhenAll(WritePartAsync(id, winner), WritePartAsync(id, loser));
        await Store.DeleteUploadPartAsync(id, written[1].Id, Ct);

        byte[] expected = [.. committed, .. winner];
        UploadPart[] kept = [.. parts, written[0]];
        Assert.Equal(expected, await ReadAllAsync(await Store.OpenUploadAsync(id, kept, Ct)));
        var digest = Digest.Compute(expected);
        await Store.PublishUploadAsync(id, kept, digest, Ct);
        Assert.Equal(expected, await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task A_part_left_out_is_neither_read_nor_published()
    {
        // A writer died after writing a part it never committed.
        var committed = Content(50, seed: 1);
        var (id, parts) = await StageAsync(committed);
        await WritePartAsync(id, Content(70, seed: 2));
        var retry = await WritePartAsync(id, Content(30, seed: 3));

        byte[] expected = [.. committed, .. Content(30, seed: 3)];
        Assert.Equal(expected, await ReadAllAsync(await Store.OpenUploadAsync(id, [.. parts, retry], Ct)));
        var digest = Digest.Compute(expected);
        await Store.PublishUploadAsync(id, [.. parts, retry], digest, Ct);
        Assert.Equal(expected, await ReadBlobAsync(digest));
        Assert.True(await UploadIsGoneAsync(id));
    }

    [Fact]
    public async Task An_empty_part_returns_zero_and_reads_as_nothing()
    {
        var content = Content(40);
        var (id, parts) = await StageAsync(content);

        var empty = await WritePartAsync(id, []);

        Assert.Equal(0, empty.Size);
        Assert.Equal(content, await ReadAllAsync(await Store.OpenUploadAsync(id, [.. parts, empty], Ct)));
    }

    [Fact]
    public async Task Writes_to_a_missing_upload_throw_KeyNotFoundException()
    {
        using var source = new MemoryStream([1, 2, 3]);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.WriteUploadPartAsync(NewUploadId(), NewUploadId(), source, Ct));
    }

    [Fact]
    public async Task OpenUpload_of_a_missing_upload_throws_KeyNotFoundException()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.OpenUploadAsync(NewUploadId(), [], Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.OpenUploadAsync(NewUploadId(), [new UploadPart(NewUploadId(), 3)], Ct));
    }

    [Fact]
    public async Task OpenUpload_of_a_missing_part_throws_KeyNotFoundException()
    {
        var (id, parts) = await StageAsync(Content(10));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.OpenUploadAsync(id, [.. parts, new UploadPart(NewUploadId(), 3)], Ct));
    }

    [Fact]
    public async Task DeleteUploadPart_removes_only_that_part_and_is_idempotent()
    {
        var content = Content(100);
        var (id, parts) = await StageAsync(content);
        var extra = await WritePartAsync(id, Content(20, seed: 2));

        await Store.DeleteUploadPartAsync(id, extra.Id, Ct);
        await Store.DeleteUploadPartAsync(id, extra.Id, Ct);
        await Store.DeleteUploadPartAsync(id, NewUploadId(), Ct);

        Assert.Equal(content, await ReadAllAsync(await Store.OpenUploadAsync(id, parts, Ct)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.OpenUploadAsync(id, [.. parts, extra], Ct));
        await Store.DeleteUploadAsync(id, Ct);
        await Store.DeleteUploadPartAsync(id, parts[0].Id, Ct);
    }

    [Fact]
    public async Task DeleteUpload_removes_the_staging_area_with_all_its_parts()
    {
        var (id, parts) = await StageAsync(Content(10));
        await WritePartAsync(id, Content(10, seed: 2)); // never committed

        await Store.DeleteUploadAsync(id, Ct);

        Assert.True(await UploadIsGoneAsync(id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.OpenUploadAsync(id, parts, Ct));
    }

    [Fact]
    public async Task DeleteUpload_is_idempotent()
    {
        var (id, _) = await StageAsync(Content(10));

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
        var first = new UploadPart(NewUploadId(), split);
        var rest = new UploadPart(NewUploadId(), length - split);

        // Two parts from non-seekable sources that hand out odd-sized pieces, like network bodies.
        await using (var source = new PatternStream(split, seed, maxRead: 4093))
        {
            Assert.Equal(split, await Store.WriteUploadPartAsync(id, first.Id, source, Ct));
        }
        await using (var source = new PatternStream(length - split, seed, maxRead: 65_537, start: split))
        {
            Assert.Equal(length - split, await Store.WriteUploadPartAsync(id, rest.Id, source, Ct));
        }
        Assert.Equal((digest, length), await HashAsync(await Store.OpenUploadAsync(id, [first, rest], Ct)));

        await Store.PublishUploadAsync(id, [first, rest], digest, Ct);

        Assert.Equal(length, await Store.StatAsync(digest, Ct));
        Assert.Equal((digest, length), await HashAsync((await Store.OpenReadAsync(digest, 0, Ct))!));
        var tail = await ReadBlobAsync(digest, length - 5000);
        Assert.Equal(PatternStream.Bytes(length - 5000, 5000, seed), tail);
    }

    [Fact]
    public async Task A_multi_MiB_blob_in_one_part_round_trips_byte_identically()
    {
        const long length = (6L << 20) + 321;
        const int seed = 43;
        var digest = PatternDigest(length, seed);
        var id = NewUploadId();
        await Store.CreateUploadAsync(id, Ct);
        var part = new UploadPart(NewUploadId(), length);
        await using (var source = new PatternStream(length, seed, maxRead: 8191))
        {
            Assert.Equal(length, await Store.WriteUploadPartAsync(id, part.Id, source, Ct));
        }

        await Store.PublishUploadAsync(id, [part], digest, Ct);

        Assert.Equal((digest, length), await HashAsync((await Store.OpenReadAsync(digest, 0, Ct))!));
        Assert.True(await UploadIsGoneAsync(id));
    }
}
