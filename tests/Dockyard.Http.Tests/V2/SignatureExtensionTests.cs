using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.V2;

/// <summary>
/// The signature API extension as containers/image speaks it: the ping advertises it, GET lists
/// <c>{"signatures":[…]}</c> (empty before any PUT), PUT stores one signature object and answers 201.
/// </summary>
public sealed class SignatureExtensionTests
{
    private const string Repository = "sig/app";

    private static string Body(string name, byte[] content, int version = 2, string type = "atomic") =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["schemaVersion"] = version, ["name"] = name, ["type"] = type, ["content"] = Convert.ToBase64String(content) });

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string digest, string body) =>
        client.PutAsync($"/extensions/v2/{Repository}/signatures/{digest}", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Signatures_are_stored_listed_and_advertised()
    {
        await using var server = await RegistryServer.StartAsync();
        var client = server.Client;
        using (var ping = await client.GetAsync("/v2/"))
        {
            Assert.Equal("1", RegistryPush.Header(ping, "X-Registry-Supports-Signatures"));
        }
        var image = await RegistryPush.PushImageAsync(client, Repository, "v1");
        var list = $"/extensions/v2/{Repository}/signatures/{image.Digest}";
        Assert.Equal("""{"signatures":[]}""", await client.GetStringAsync(list));

        var first = new byte[] { 0xa3, 1, 2, 3 };
        using (var put = await PutAsync(client, image.Digest, Body($"{image.Digest}@0123456789abcdef0123456789abcdef", first)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        // The same bytes again under the same name are accepted; other bytes under it are a conflict.
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(client, image.Digest, Body($"{image.Digest}@0123456789abcdef0123456789abcdef", first))).StatusCode);
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, Body($"{image.Digest}@0123456789abcdef0123456789abcdef", [9])),
            HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(client, image.Digest, Body($"{image.Digest}@b", [4, 5]))).StatusCode);

        using var document = JsonDocument.Parse(await client.GetStringAsync(list));
        var signatures = document.RootElement.GetProperty("signatures").EnumerateArray().ToList();
        Assert.Equal(2, signatures.Count);
        Assert.Equal(2, signatures[0].GetProperty("schemaVersion").GetInt32());
        Assert.Equal($"{image.Digest}@0123456789abcdef0123456789abcdef", signatures[0].GetProperty("name").GetString());
        Assert.Equal("atomic", signatures[0].GetProperty("type").GetString());
        Assert.Equal(first, signatures[0].GetProperty("content").GetBytesFromBase64());
        Assert.Equal([4, 5], signatures[1].GetProperty("content").GetBytesFromBase64());
    }

    [Fact]
    public async Task Bad_signatures_and_unknown_manifests_are_refused()
    {
        await using var server = await RegistryServer.StartAsync();
        var client = server.Client;
        var image = await RegistryPush.PushImageAsync(client, Repository, "v1");
        var name = image.Digest + "@x";
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, Body(name, [1], version: 1)), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, Body("sha256:other@x", [1])), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, Body(name, [])), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, Body(name, [1], type: "a b")), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, "{not json"), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, $$"""{"schemaVersion":2,"name":"{{name}}\ud800","type":"atomic","content":"AQ=="}"""), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, """{"schemaVersion":2,"name":"x","content":"%%%"}"""), HttpStatusCode.BadRequest, "INVALID_FIELD");
        await RegistryPush.AssertErrorAsync(await PutAsync(client, image.Digest, $$"""{"schemaVersion":"2","name":"{{name}}","type":"atomic","content":"AQ=="}"""),
            HttpStatusCode.BadRequest, "INVALID_FIELD");
        var unknown = "sha256:" + new string('0', 64);
        await RegistryPush.AssertErrorAsync(await PutAsync(client, unknown, Body(unknown + "@x", [1])), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await RegistryPush.AssertErrorAsync(await client.GetAsync($"/extensions/v2/{Repository}/signatures/{unknown}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await RegistryPush.AssertErrorAsync(await client.GetAsync($"/extensions/v2/{Repository}/signatures/sha256:nothex"), HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Reading_needs_pull_and_writing_needs_push_when_enforced()
    {
        await using var auth = await AuthServer.StartAsync();
        await auth.AddUserAsync("alice");
        await auth.AddUserAsync("bob");
        var alice = auth.Client("alice");
        var image = await RegistryPush.PushImageAsync(alice, "alice/app", "v1");
        var path = $"/extensions/v2/alice/app/signatures/{image.Digest}";
        var body = new StringContent(Body(image.Digest + "@x", [1]), Encoding.UTF8, "application/json");

        using (var ping = await auth.Client(null).GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
            Assert.Equal("1", RegistryPush.Header(ping, "X-Registry-Supports-Signatures"));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await auth.Client(null).GetAsync(path)).StatusCode);
        await RegistryPush.AssertErrorAsync(await auth.Client("bob").GetAsync(path), HttpStatusCode.Forbidden, "DENIED");
        await RegistryPush.AssertErrorAsync(await auth.Client("bob").PutAsync(path, body), HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync(path, body)).StatusCode);
        Assert.Contains(image.Digest + "@x", await alice.GetStringAsync(path), StringComparison.Ordinal);
    }
}
