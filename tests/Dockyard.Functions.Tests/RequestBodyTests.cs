using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dockyard.Core.Accounts;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Functions.Tests;

/// <summary>
/// The Functions app caps in-memory bodies like the server: the same dispatcher behind the worker's functions answers a
/// chunked body over the limit with 413 SIZE_INVALID and a JSON string that is not text with 400. On the default backends
/// (disk + SQLite) in a temp folder: the refusals come before any store is asked, so Azurite is not needed. A manifest
/// whose keys Go clients would read otherwise (docs/security.md, round 10) is refused here as on the server.
/// </summary>
public sealed class RequestBodyTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("dockyard-fn-bodies-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Theory]
    [InlineData("POST", "/uam/user/signup")]
    [InlineData("PUT", "/v2/fn/app/manifests/latest")]
    [InlineData("POST", "/v1/users/")]
    public async Task A_chunked_body_over_the_limit_is_413_SIZE_INVALID(string method, string path)
    {
        await using var worker = await StartAsync();
        await worker.Services.GetRequiredService<UserService>().AddAsync("fnadmin", "fn-admin-password", null, admin: true, CancellationToken.None);
        var body = new byte[5 << 20];
        Array.Fill(body, (byte)' ');
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = V1Client.Chunked(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("fnadmin:fn-admin-password"u8));
        using var response = await worker.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("SIZE_INVALID", JsonDocument.Parse(text).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invalid_utf8_in_a_uam_string_is_400_INVALID_FIELD()
    {
        await using var worker = await StartAsync();
        byte[] body = [.. "{\"name\":\"x"u8, 0xff, .. "\",\"email\":\"a@example.com\",\"password\":\"password1\"}"u8];
        using var response = await worker.Client.PostAsync("/uam/user/signup", new ByteArrayContent(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("INVALID_FIELD", JsonDocument.Parse(text).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("Layers")]
    [InlineData("layers")]
    [InlineData("layer\\u017f")]
    public async Task A_manifest_whose_keys_clients_read_otherwise_is_400_MANIFEST_INVALID(string smuggled)
    {
        await using var worker = await StartAsync();
        await worker.Services.GetRequiredService<UserService>().AddAsync("fnadmin", "fn-admin-password", null, admin: true, CancellationToken.None);
        var layer = """{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}""";
        var json = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{layer}},"layers":[],"{{smuggled}}":[{{layer}}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/fnadmin/app/manifests/latest") { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("fnadmin:fn-admin-password"u8));
        using var response = await worker.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("MANIFEST_INVALID", JsonDocument.Parse(text).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    private Task<WorkerHost> StartAsync() => WorkerHost.StartAsync(new Dictionary<string, string?>
    {
        ["dockyard:path"] = Path.Combine(data, "data"),
        ["dockyard:standalone"] = "false",
        ["auth_server:privateKey"] = Path.Combine(data, "token.key"),
        ["token:rootcertbundle"] = Path.Combine(data, "token.crt"),
    });
}
