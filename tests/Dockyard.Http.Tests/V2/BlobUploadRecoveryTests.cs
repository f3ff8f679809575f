using System.Net;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

/// <summary>
/// An upload that had a chunk refused must resume at its last good offset and still digest correctly; one whose staged
/// bytes are lost is forgotten instead of failing every request.
/// </summary>
public sealed class BlobUploadRecoveryTests
{
    [Fact]
    public async Task Short_streamed_chunk_is_refused_and_the_upload_resumes_where_it_was()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(20);
        using (var first = await PatchChunkAsync(server.Client, location, data[..10], "0-9"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        // Chunked transfer: no Content-Length, so the short body is only noticed after it was streamed.
        using (var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(new NonSeekableStream(RandomBytes(5))) })
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Range", "10-19");
            using var shortChunk = await server.Client.SendAsync(request);
            await AssertErrorAsync(shortChunk, HttpStatusCode.BadRequest, "SIZE_INVALID");
        }
        using (var status = await server.Client.GetAsync(location))
        {
            Assert.Equal("0-9", Header(status, "Range"));
        }
        using (var second = await PatchChunkAsync(server.Client, location, data[10..], "10-19"))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Assert.Equal("0-19", Header(second, "Range"));
        }
        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={DigestOf(data)}"), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{DigestOf(data)}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Refused_out_of_order_chunk_does_not_corrupt_the_upload()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(30);
        using (var first = await PatchChunkAsync(server.Client, location, data[..10], "0-9"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }
        using (var skipped = await PatchChunkAsync(server.Client, location, RandomBytes(10), "5-14"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, skipped.StatusCode);
        }
        using (var mismatched = await PatchChunkAsync(server.Client, location, RandomBytes(3), "10-19"))
        {
            await AssertErrorAsync(mismatched, HttpStatusCode.BadRequest, "SIZE_INVALID");
        }

        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={DigestOf(data)}"), new ByteArrayContent(data[10..]));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{DigestOf(data)}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Streamed_then_chunked_patches_combine()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(5000);
        using (var streamed = await server.Client.PatchAsync(location, new StreamContent(new NonSeekableStream(data[..3000]))))
        {
            Assert.Equal("0-2999", Header(streamed, "Range"));
        }
        using (var chunk = await PatchChunkAsync(server.Client, location, data[3000..], "3000-4999"))
        {
            Assert.Equal("0-4999", Header(chunk, "Range"));
        }
        using var put = await server.Client.PutAsync(WithQuery(location, $"digest={DigestOf(data, "sha512")}"), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{DigestOf(data, "sha512")}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Final_put_whose_chunk_does_not_start_at_the_offset_answers_416_and_the_upload_survives()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(30);
        using (var first = await PatchChunkAsync(server.Client, location, data[..10], "0-9"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        foreach (var range in new[] { "20-29", "0-9", "5-14" })
        {
            using var skipped = new HttpRequestMessage(HttpMethod.Put, WithQuery(location, $"digest={DigestOf(data)}")) { Content = new ByteArrayContent(data[10..20]) };
            skipped.Content.Headers.TryAddWithoutValidation("Content-Range", range);
            using var refused = await server.Client.SendAsync(skipped);
            await AssertErrorAsync(refused, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
            AssertResumable(refused, location, "0-9");
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, WithQuery(location, $"digest={DigestOf(data)}")) { Content = new ByteArrayContent(data[10..]) };
        put.Content.Headers.TryAddWithoutValidation("Content-Range", "10-29");
        using var done = await server.Client.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{DigestOf(data)}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Final_put_whose_content_length_contradicts_its_range_answers_400_size_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var location = await StartUploadAsync(server.Client, "app");
        var data = RandomBytes(10);
        using var put = new HttpRequestMessage(HttpMethod.Put, WithQuery(location, $"digest={DigestOf(data)}")) { Content = new ByteArrayContent(data) };
        put.Content.Headers.TryAddWithoutValidation("Content-Range", "0-19");

        using var refused = await server.Client.SendAsync(put);

        await AssertErrorAsync(refused, HttpStatusCode.BadRequest, "SIZE_INVALID");
        using var status = await server.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
    }

    // The state a kill -9 between publishing a blob and forgetting its session used to leave: the session is recorded
    // but its staged parts are gone. Continuing it must not fail forever: it is forgotten and answers 404.
    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("PUT published")]
    public async Task Session_whose_staging_is_gone_is_forgotten_and_answers_404(string first)
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(20);
        if (first == "PUT published")
        {
            await PushBlobAsync(server.Client, "other", data);
        }
        var location = await StartUploadAsync(server.Client, "app");
        using (var patch = await PatchChunkAsync(server.Client, location, data[..10], "0-9"))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }
        Directory.Delete(Path.Combine(server.DataPath, "uploads", location.AbsolutePath.Split('/')[^1]), recursive: true);

        using (var resumed = first == "PATCH"
            ? await PatchChunkAsync(server.Client, location, data[10..], "10-19")
            : await server.Client.PutAsync(WithQuery(location, $"digest={DigestOf(data)}"), new ByteArrayContent(data[10..])))
        {
            await AssertErrorAsync(resumed, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using var status = await server.Client.GetAsync(location);
        await AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var again = await server.Client.PutAsync(WithQuery(location, $"digest={DigestOf(data)}"), null);
        await AssertErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        // Nothing reached the repository through the broken session.
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{DigestOf(data)}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataPath, "uploads")));
    }
}
