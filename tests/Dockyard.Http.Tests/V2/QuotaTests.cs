using System.Net;
using System.Net.Http.Headers;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.V2;

/// <summary>
/// <c>[quota]</c>: a namespace's storage quota refuses bytes beyond it whatever the framing (Content-Length,
/// chunked, monolithic, mount), uploads written at once overshoot it by no more than documented, and the per-client cap
/// refuses the next unfinished upload with 429.
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
    public async Task Concurrent_uploads_overshoot_a_quota_by_at_most_the_room_each_began_with_and_the_next_write_is_refused()
    {
        // The documented bound (docs/security.md, "Quota under concurrent uploads"): the quota is checked, not reserved, so
        // uploads written at once may each fill the room left when they began, at most [quota] uploads of them per client.
        const int Uploads = 4;
        await using var server = await StartAsync(namespaceMiB: "1", uploads: Uploads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = server.Client;
        var sessions = new List<Uri>();
        for (var i = 0; i < Uploads; i++)
        {
            sessions.Add(await RegistryPush.StartUploadAsync(client, "burst/app"));
        }
        await RegistryPush.AssertErrorAsync(await client.PostAsync("/v2/burst/app/blobs/uploads/", null), HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        var chunk = RegistryPush.RandomBytes(1000 * KiB);

        using var barrier = new Barrier(Uploads);
        var statuses = await Task.WhenAll(sessions.Select(session => Task.Run(async () =>
        {
            barrier.SignalAndWait();
            using var response = await PatchChunkedAsync(client, session, chunk);
            return response.StatusCode;
        })));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Accepted or HttpStatusCode.RequestEntityTooLarge, $"{(int)s}"));
        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Assert.InRange(accepted * (long)chunk.Length, chunk.Length, Uploads * 1024L * KiB);
        // Whatever overshot, at most 24 KiB of room is left: a further 100 KiB is refused on every session.
        var more = RegistryPush.RandomBytes(100 * KiB);
        foreach (var session in sessions)
        {
            using var status = await client.GetAsync(session);
            var committed = RegistryPush.Header(status, "Range");
            Assert.True(committed is "0-0" || committed == $"0-{chunk.Length - 1}", committed);
            var offset = committed == "0-0" ? 0 : chunk.Length;
            await RegistryPush.AssertErrorAsync(await RegistryPush.PatchChunkAsync(client, session, more, $"{offset}-{offset + more.Length - 1}"),
                HttpStatusCode.RequestEntityTooLarge, "DENIED");
        }
    }

    [Fact]
    public async Task Quota_settings_are_validated_with_the_key_named()
    {
        var error = await Assert.ThrowsAsync<Dockyard.Hosting.Configuration.StartupException>(() => StartAsync(uploads: "-1"));
        Assert.Contains("[quota] uploads = -1", error.Message, StringComparison.Ordinal);
    }
}
