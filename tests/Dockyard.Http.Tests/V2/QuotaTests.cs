using System.Net;
using System.Net.Http.Headers;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.V2;

/// <summary>
/// <c>[quota]</c>: a namespace's storage quota refuses bytes beyond it whatever the framing (Content-Length,
/// chunked, monolithic, mount), and the per-client cap refuses the next unfinished upload with 429.
/// </summary>
public sealed class QuotaTests
{
    private const int KiB = 1024;

    private static Task<RegistryServer> StartAsync(string namespaceMiB = "0", string uploads = "0") =>
        RegistryServer.StartAsync(new Dictionary<string, string?> { ["quota:namespacesize"] = namespaceMiB, ["quota:uploads"] = uploads });

    // A PATCH without Content-Length: the framing a quota check on headers alone would miss.
    private static async Task<HttpResponseMessage> PatchChunkedAsync(HttpClient client, Uri location, byte[] data)
    {
        var content = new StreamContent(new MemoryStream(data));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Bytes_beyond_a_namespaces_quota_are_refused_whatever_the_framing()
    {
        await using var server = await StartAsync(namespaceMiB: "1");
        var client = server.Client;
        var first = RegistryPush.RandomBytes(700 * KiB);
        await RegistryPush.PushBlobAsync(client, "full/app", first);

        // Chunked: cut off once it passes the room left; the session's committed size stays where it was.
        var location = await RegistryPush.StartUploadAsync(client, "full/other");
        await RegistryPush.AssertErrorAsync(await PatchChunkedAsync(client, location, RegistryPush.RandomBytes(400 * KiB)), HttpStatusCode.RequestEntityTooLarge, "DENIED");
        using (var status = await client.GetAsync(location))
        {
            Assert.Equal("0-0", RegistryPush.Header(status, "Range"));
        }
        // Monolithic with a Content-Length beyond the room: refused before a byte is stored.
        var big = RegistryPush.RandomBytes(400 * KiB);
        using (var monolithic = await client.PostAsync($"/v2/full/app/blobs/uploads/?digest={RegistryPush.DigestOf(big)}", new ByteArrayContent(big)))
        {
            await RegistryPush.AssertErrorAsync(monolithic, HttpStatusCode.RequestEntityTooLarge, "DENIED");
        }
        // A mount into the full namespace is refused too; a blob that fits is accepted; other namespaces are unaffected.
        var elsewhere = await RegistryPush.PushBlobAsync(client, "roomy/app", big);
        using (var mount = await client.PostAsync($"/v2/full/app/blobs/uploads/?mount={elsewhere}&from=roomy/app", null))
        {
            await RegistryPush.AssertErrorAsync(mount, HttpStatusCode.RequestEntityTooLarge, "DENIED");
        }
        await RegistryPush.PushBlobAsync(client, "full/app", RegistryPush.RandomBytes(100 * KiB));
        await RegistryPush.PushBlobAsync(client, "roomy/app", RegistryPush.RandomBytes(500 * KiB));
        using (var blob = await client.GetAsync($"/v2/full/app/blobs/{RegistryPush.DigestOf(first)}"))
        {
            Assert.Equal(first, await blob.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_client_may_hold_only_so_many_unfinished_uploads()
    {
        await using var server = await StartAsync(uploads: "3");
        var client = server.Client;
        var open = new List<Uri>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await RegistryPush.StartUploadAsync(client, $"cap/app{i}"));
        }
        await RegistryPush.AssertErrorAsync(await client.PostAsync("/v2/cap/app9/blobs/uploads/", null), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        // Completing or cancelling one makes room again.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(open[0])).StatusCode);
        await RegistryPush.StartUploadAsync(client, "cap/app9");
    }

    [Fact]
    public async Task Quota_settings_are_validated_with_the_key_named()
    {
        var error = await Assert.ThrowsAsync<Dockyard.Hosting.Configuration.StartupException>(() => StartAsync(uploads: "-1"));
        Assert.Contains("[quota] uploads = -1", error.Message, StringComparison.Ordinal);
    }
}
