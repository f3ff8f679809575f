using System.Net;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

/// <summary>An upload that had a chunk refused must resume at its last good offset and still digest correctly.</summary>
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
}
