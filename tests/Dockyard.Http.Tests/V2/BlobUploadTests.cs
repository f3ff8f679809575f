using System.Net;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class BlobUploadTests
{
    [Fact]
    public async Task Monolithic_post_with_digest_answers_201_with_absolute_location()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(300);
        var digest = DigestOf(data);

        using var response = await server.Client.PostAsync($"/v2/app/blobs/uploads/?digest={digest}", new ByteArrayContent(data));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(digest, Header(response, "Docker-Content-Digest"));
        Assert.True(response.Headers.Location!.IsAbsoluteUri);
        Assert.Equal(new Uri(server.BaseAddress, $"/v2/app/blobs/{digest}"), response.Headers.Location);
        using var get = await server.Client.GetAsync(response.Headers.Location);
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_then_put_with_body_completes_the_upload()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        Assert.True(location.IsAbsoluteUri);
        var data = RandomBytes(500);
        var digest = DigestOf(data);

        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={digest}"), new ByteArrayContent(data));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Streamed_patch_without_content_length_then_put()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(70_000);

        using var content = new StreamContent(new NonSeekableStream(data));
        using var patch = await server.Client.PatchAsync(location, content);

        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.Equal("0-69999", Header(patch, "Range"));
        using var put = await server.Client.PutAsync(WithQuery(patch.Headers.Location!, $"digest={DigestOf(data)}"), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{DigestOf(data)}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Chunked_patches_in_order_report_the_range_and_complete()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(250);

        for (var start = 0; start < data.Length; start += 100)
        {
            var end = Math.Min(start + 100, data.Length) - 1;
            using var patch = await PatchChunkAsync(server.Client, location, data[start..(end + 1)], $"{start}-{end}");
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{end}", Header(patch, "Range"));
            Assert.Equal(location.AbsolutePath.Split('/')[^1], Header(patch, "Docker-Upload-UUID"));
            location = patch.Headers.Location!;
        }
        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={DigestOf(data)}"), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task Out_of_order_chunk_answers_416_with_the_location_and_range_to_resume_from()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        using (var first = await PatchChunkAsync(server.Client, location, RandomBytes(10), "0-9"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }
        using var skipped = await PatchChunkAsync(server.Client, location, RandomBytes(10), "20-29");
        await AssertErrorAsync(skipped, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        AssertResumable(skipped, location, "0-9");
        using var repeated = await PatchChunkAsync(server.Client, location, RandomBytes(10), "0-9");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, repeated.StatusCode);
    }

    [Fact]
    public async Task Content_length_that_mismatches_content_range_answers_400_size_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        using var patch = await PatchChunkAsync(server.Client, location, RandomBytes(5), "0-9");
        await AssertErrorAsync(patch, HttpStatusCode.BadRequest, "SIZE_INVALID");
    }

    [Fact]
    public async Task Get_upload_status_answers_204_with_range_and_uuid()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        using (var patch = await PatchChunkAsync(server.Client, location, RandomBytes(42), "0-41"))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using var status = await server.Client.GetAsync(location);

        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-41", Header(status, "Range"));
        Assert.Equal(location.AbsolutePath.Split('/')[^1], Header(status, "Docker-Upload-UUID"));
        Assert.Equal(location, status.Headers.Location);
    }

    [Fact]
    public async Task Delete_cancels_the_upload()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");

        using (var delete = await server.Client.DeleteAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        using var status = await server.Client.GetAsync(location);
        await AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("garbage")]
    [InlineData("..%2F..%2Fetc")]
    public async Task Unknown_upload_id_answers_404_blob_upload_unknown(string id)
    {
        await using var server = await RegistryServer.StartAsync();
        using var get = await server.Client.GetAsync($"/v2/app/blobs/uploads/{id}");
        await AssertErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var patch = await server.Client.PatchAsync($"/v2/app/blobs/uploads/{id}", new ByteArrayContent([1]));
        await AssertErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var put = await server.Client.PutAsync($"/v2/app/blobs/uploads/{id}?digest={DigestOf([1])}", new ByteArrayContent([1]));
        await AssertErrorAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var delete = await server.Client.DeleteAsync($"/v2/app/blobs/uploads/{id}");
        await AssertErrorAsync(delete, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Upload_of_another_repository_is_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "one");
        var id = location.AbsolutePath.Split('/')[^1];
        using var status = await server.Client.GetAsync($"/v2/two/blobs/uploads/{id}");
        await AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Put_with_wrong_digest_answers_400_and_the_blob_is_not_visible()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var wrong = DigestOf([9, 9, 9]);

        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={wrong}"), new ByteArrayContent(RandomBytes(64)));

        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{wrong}");
        await AssertErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Put_without_digest_answers_400()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        using var put = await server.Client.PutAsync(location, new ByteArrayContent(RandomBytes(8)));
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Sha512_upload_in_chunks_completes_and_is_served()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(3000);
        var digest = DigestOf(data, "sha512");
        using (var patch = await PatchChunkAsync(server.Client, location, data[..1000], "0-999"))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={digest}"), new ByteArrayContent(data[1000..]));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{digest}"));
        Assert.Equal(3000, head.Content.Headers.ContentLength);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Multi_mebibyte_blob_streams_in_and_reads_back_byte_identical()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "big/blob");
        var data = RandomBytes(12 * 1024 * 1024 + 17);
        var digest = DigestOf(data);

        using (var patch = await server.Client.PatchAsync(location, new StreamContent(new NonSeekableStream(data))))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{data.Length - 1}", Header(patch, "Range"));
        }
        using (var put = await server.Client.PutAsync(WithQuery(location, $"digest={digest}"), null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using var get = await server.Client.GetAsync($"/v2/big/blob/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(data.Length, get.Content.Headers.ContentLength);
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Streamed_patch_that_pauses_before_its_last_small_piece_completes()
    {
        // Long enough for the socket's receive low-water mark to be raised (ReceiveBatching), then a last piece far
        // below it: the server must still read it, as it reads docker's last piece of a layer.
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(2 * 1024 * 1024 + 100);
        var digest = DigestOf(data);

        using (var patch = await server.Client.PatchAsync(location, new StreamContent(new PacedStream(data, 64 * 1024, data.Length - 100))))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{data.Length - 1}", Header(patch, "Range"));
        }
        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={digest}"), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task Location_follows_forwarded_proto_and_host()
    {
        await using var server = await RegistryServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/app/blobs/uploads/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "registry.example.com");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("https", response.Headers.Location!.Scheme);
        Assert.Equal("registry.example.com", response.Headers.Location.Authority);
        Assert.StartsWith("/v2/app/blobs/uploads/", response.Headers.Location.AbsolutePath);
    }

    [Fact]
    public async Task Monolithic_post_with_a_wrong_or_invalid_digest_answers_400_and_leaves_no_upload_behind()
    {
        await using var server = await RegistryServer.StartAsync();
        foreach (var digest in new[] { DigestOf([9, 9, 9]), "sha256:zz" })
        {
            using var post = await server.Client.PostAsync($"/v2/app/blobs/uploads/?digest={digest}", new ByteArrayContent(RandomBytes(64)));
            await AssertErrorAsync(post, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataPath, "uploads")));
    }

    [Fact]
    public async Task Completed_or_failed_upload_is_then_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var done = await StartUploadAsync(server.Client, "app");
        using (var put = await server.Client.PutAsync(WithQuery(done, $"digest={DigestOf([5])}"), new ByteArrayContent([5])))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        var failed = await StartUploadAsync(server.Client, "app");
        using (var put = await server.Client.PutAsync(WithQuery(failed, $"digest={DigestOf([6])}"), new ByteArrayContent([7])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        }
        foreach (var location in new[] { done, failed })
        {
            using var status = await server.Client.GetAsync(location);
            await AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataPath, "uploads")));
    }

    [Fact]
    public async Task Empty_blob_and_a_blob_pushed_twice_are_served()
    {
        await using var server = await RegistryServer.StartAsync();
        var empty = await PushBlobAsync(server.Client, "app", []);
        var data = RandomBytes(32);
        await PushBlobAsync(server.Client, "app", data);
        var again = await PushBlobAsync(server.Client, "app", data);

        using var getEmpty = await server.Client.GetAsync($"/v2/app/blobs/{empty}");
        Assert.Equal(HttpStatusCode.OK, getEmpty.StatusCode);
        Assert.Equal(0, getEmpty.Content.Headers.ContentLength);
        using var getAgain = await server.Client.GetAsync($"/v2/app/blobs/{again}");
        Assert.Equal(data, await getAgain.Content.ReadAsByteArrayAsync());
    }
}

/// <summary>
/// A body sent chunked in pieces of at most <c>piece</c> bytes, 2 ms apart, that waits 100 ms before the bytes from
/// <c>pauseAt</c> on: a slow client such as docker, whose last piece comes after a pause.
/// </summary>
internal sealed class PacedStream(byte[] data, int piece, int pauseAt) : Stream
{
    private int position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(position == pauseAt ? 100 : 2, cancellationToken);
        var end = position < pauseAt ? Math.Min(pauseAt, position + piece) : data.Length;
        var n = Math.Min(buffer.Length, end - position);
        data.AsSpan(position, n).CopyTo(buffer.Span);
        position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
