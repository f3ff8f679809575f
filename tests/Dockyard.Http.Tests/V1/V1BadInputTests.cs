using System.Net;
using Dockyard.Core.Metadata;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Testing.V1Client;

namespace Dockyard.Http.Tests.V1;

/// <summary>Bad V1 requests are client errors with a JSON <c>error</c> (never a 500).</summary>
public sealed class V1BadInputTests : IAsyncLifetime
{
    private RegistryServer server = null!;
    private V1Client client = null!;

    public async Task InitializeAsync()
    {
        server = await RegistryServer.StartAsync();
        client = new V1Client(server.Client);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<string> AnnounceAsync(string repository, params V1Image[] images)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(images.Select(i => new { id = i.Id }));
        using var response = await client.SendAsync(HttpMethod.Put, $"/v1/repositories/{repository}/", null, Json(body), ("X-Docker-Token", "true"));
        await ExpectAsync(response, HttpStatusCode.OK);
        return Header(response, "X-Docker-Token");
    }

    private static async Task ExpectV1ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? message = null)
    {
        var body = await ExpectAsync(response, status);
        var error = body.GetProperty("error").GetString()!;
        if (message is not null)
        {
            Assert.Equal(message, error);
        }
    }

    [Fact]
    public async Task Unknown_and_malformed_image_ids()
    {
        var unknown = V1Image.NewId();
        foreach (var part in new[] { "json", "layer", "ancestry" })
        {
            await ExpectV1ErrorAsync(await server.Client.GetAsync($"/v1/images/{unknown}/{part}"), HttpStatusCode.NotFound, "Image not found");
            await ExpectV1ErrorAsync(await server.Client.GetAsync($"/v1/images/not-an-id/{part}"), HttpStatusCode.BadRequest);
        }
        await ExpectV1ErrorAsync(await server.Client.GetAsync($"/v1/images/{unknown.ToUpperInvariant()}/json"), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/images/abc/json", null, Json("{\"id\":\"abc\"}")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await server.Client.GetAsync("/v1/repositories/nobody/nothing/tags"), HttpStatusCode.NotFound);
        await ExpectV1ErrorAsync(await server.Client.GetAsync("/v1/repositories/nobody/nothing/images"), HttpStatusCode.NotFound);
        await ExpectV1ErrorAsync(await server.Client.GetAsync("/v1/repositories/Bad_Name/x/tags"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Bad_image_json_is_refused()
    {
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        var token = await AnnounceAsync("bad/json", image);
        var path = $"/v1/images/{image.Id}/json";
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, path, TokenAuth(token), Json("LOL{WTF")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, path, TokenAuth(token), Json("[1]")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, path, TokenAuth(token), Json($"{{\"id\":\"{V1Image.NewId()}\"}}")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, path, TokenAuth(token), Json($"{{\"id\":\"{image.Id}\",\"parent\":42}}")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, path, TokenAuth(token),
            Json($"{{\"id\":\"{image.Id}\",\"parent\":\"{V1Image.NewId()}\"}}")), HttpStatusCode.BadRequest, "Image depends on a non existing parent");
    }

    [Fact]
    public async Task Layer_before_json_checksum_before_layer_and_a_wrong_checksum()
    {
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        var token = await AnnounceAsync("bad/order", image);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/layer", TokenAuth(token), Chunked(image.Layer)),
            HttpStatusCode.NotFound, "Image not found");
        await ExpectAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token), new ByteArrayContent(image.Json)), HttpStatusCode.OK);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/checksum", TokenAuth(token), null,
            ("X-Docker-Checksum-Payload", image.PayloadChecksum)), HttpStatusCode.NotFound);
        await ExpectAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/layer", TokenAuth(token), Chunked(image.Layer)), HttpStatusCode.OK);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/checksum", TokenAuth(token), null), HttpStatusCode.BadRequest,
            "Missing Image's checksum");
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/checksum", TokenAuth(token), null,
            ("X-Docker-Checksum-Payload", "sha256:" + new string('1', 64))), HttpStatusCode.BadRequest, "Checksum mismatch");
        // Not served while incomplete; then the right checksum completes it, and the image is immutable.
        await ExpectV1ErrorAsync(await server.Client.GetAsync($"/v1/images/{image.Id}/json"), HttpStatusCode.BadRequest, "Image is being uploaded, retry later");
        await ExpectAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/checksum", TokenAuth(token), null,
            ("X-Docker-Checksum-Payload", image.PayloadChecksum)), HttpStatusCode.OK);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token), new ByteArrayContent(image.Json)),
            HttpStatusCode.Conflict, "Image already exists");
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/layer", TokenAuth(token), Chunked(image.Layer)),
            HttpStatusCode.Conflict, "Image already exists");
        await ExpectAsync(await server.Client.GetAsync($"/v1/images/{image.Id}/json"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refused_layer_leaves_no_upload_behind()
    {
        // Before, each refused layer left its (empty) upload session and staging folder until the purge, a week later,
        // counted against no client's cap: a loop of refused PUTs piled them up.
        await using var quotaServer = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["quota:namespacesize"] = "1" });
        var quotaClient = new V1Client(quotaServer.Client);
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        var body = System.Text.Json.JsonSerializer.Serialize(new[] { new { id = image.Id } });
        string token;
        using (var announce = await quotaClient.SendAsync(HttpMethod.Put, "/v1/repositories/full/layer/", null, Json(body), ("X-Docker-Token", "true")))
        {
            await ExpectAsync(announce, HttpStatusCode.OK);
            token = Header(announce, "X-Docker-Token");
        }
        await ExpectAsync(await quotaClient.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token), new ByteArrayContent(image.Json)),
            HttpStatusCode.OK);

        await ExpectAsync(await quotaClient.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/layer", TokenAuth(token), Chunked(new byte[2 << 20])),
            HttpStatusCode.RequestEntityTooLarge);

        var sessions = await quotaServer.Services.GetRequiredService<IMetadataStore>().Uploads.ListStartedBeforeAsync(DateTimeOffset.MaxValue, 10, default);
        Assert.Empty(sessions);
    }

    [Fact]
    public async Task Tags_to_unknown_or_incomplete_images_and_bad_tags()
    {
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        var token = await AnnounceAsync("bad/tags", image);
        var tag = "/v1/repositories/bad/tags/tags/latest";
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, tag, TokenAuth(token), Json($"\"{V1Image.NewId()}\"")), HttpStatusCode.NotFound);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, tag, TokenAuth(token), Json("\"nope\"")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, tag, TokenAuth(token), Json("42")), HttpStatusCode.BadRequest);
        await ExpectAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token), new ByteArrayContent(image.Json)), HttpStatusCode.OK);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, tag, TokenAuth(token), Json($"\"{image.Id}\"")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/repositories/bad/tags/tags/-bad", TokenAuth(token), Json($"\"{image.Id}\"")),
            HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await server.Client.GetAsync("/v1/repositories/bad/tags/tags/missing"), HttpStatusCode.NotFound);
        await ExpectV1ErrorAsync(await server.Client.DeleteAsync("/v1/repositories/bad/tags/tags/missing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_announcements_and_a_layer_that_claims_gzip()
    {
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/repositories/bad/announce/", null, Json("{\"id\":1}")), HttpStatusCode.BadRequest);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/repositories/bad/announce/", null, Json("[{\"id\":\"xyz\"}]")), HttpStatusCode.BadRequest);
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        var token = await AnnounceAsync("bad/gzip", image);
        await ExpectAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token), new ByteArrayContent(image.Json)), HttpStatusCode.OK);
        await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/layer", TokenAuth(token), Chunked([0x1f, 0x8b, 1, 2, 3])),
            HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Strings_that_do_not_decode_are_refused_as_400()
    {
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        var token = await AnnounceAsync("bad/utf8", image);
        foreach (var bad in new[] { "\\xff", "\\ud800" })
        {
            await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token),
                JsonBytes($"{{\"id\":\"{image.Id[..10]}{bad}\"}}")), HttpStatusCode.BadRequest);
            await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token),
                JsonBytes($"{{\"id\":\"{image.Id}\",\"parent\":\"{bad}\"}}")), HttpStatusCode.BadRequest);
            await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/repositories/bad/utf8/", null,
                JsonBytes($"[{{\"id\":\"{bad}\"}}]")), HttpStatusCode.BadRequest);
            await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/repositories/bad/utf8/images", null,
                JsonBytes($"[{{\"id\":\"{bad}\"}}]")), HttpStatusCode.BadRequest);
            await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Put, "/v1/repositories/bad/utf8/tags/latest", TokenAuth(token),
                JsonBytes($"\"{bad}\"")), HttpStatusCode.BadRequest);
            await ExpectV1ErrorAsync(await client.SendAsync(HttpMethod.Post, "/v1/users/", null,
                JsonBytes($"{{\"username\":\"{bad}\",\"password\":\"p\",\"email\":\"a@b.c\"}}")), HttpStatusCode.BadRequest);
        }
    }

    /// <summary>JSON text whose <c>\xff</c> stands for the raw byte 0xFF (invalid UTF-8); anything else is sent as UTF-8.</summary>
    private static ByteArrayContent JsonBytes(string text)
    {
        var parts = text.Split("\\xff");
        var bytes = new List<byte>(System.Text.Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            bytes.Add(0xff);
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(part));
        }
        var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
