using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Volumes;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Leases;

/// <summary>The lease routes and the fencing rule over HTTP, as any client sees them.</summary>
public sealed class LeaseApiTests
{
    private const string Lease = "/extensions/v2/team/api/volume/lease";

    [Fact]
    public async Task Leases_are_exclusive_and_not_yours_is_404()
    {
        await using var server = await RegistryServer.StartAsync();
        var http = server.Client;
        var taken = await http.PostAsJsonAsync(Lease, new { holder = "host-a", ttlSeconds = 30 });
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        var token = (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();

        var refused = await http.PostAsJsonAsync(Lease, new { holder = "host-b", ttlSeconds = 30 });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("CONFLICT", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync(Lease, new { holder = "host-b", token, ttlSeconds = 30 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync(Lease, new { holder = "host-a", token, ttlSeconds = 30 })).StatusCode);
        Assert.Equal("host-a", (await http.GetFromJsonAsync<JsonElement>(Lease)).GetProperty("holder").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync(Lease, new { holder = "host-b", ttlSeconds = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(Lease, new StringContent("[", Encoding.UTF8, "application/json"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"{Lease}?holder=host-a&token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Lease)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync(Lease, new { holder = "host-b", ttlSeconds = 30 })).StatusCode);
    }

    [Fact]
    public async Task A_volume_manifest_without_the_current_fencing_token_is_409_and_other_manifests_pass()
    {
        await using var server = await RegistryServer.StartAsync();
        var http = server.Client;
        var empty = "{}"u8.ToArray();
        var config = await PushBlobAsync(http, empty);
        var volume = Manifest(VolumeArtifact.ArtifactType, config, empty.Length);

        var absent = await PutAsync(http, volume, null);
        Assert.Equal(HttpStatusCode.Conflict, absent.StatusCode);
        Assert.Contains(VolumeArtifact.FencingTokenHeader, await absent.Content.ReadAsStringAsync());
        var taken = await http.PostAsJsonAsync(Lease, new { holder = "host-a", ttlSeconds = 30 });
        var token = (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, (await PutAsync(http, volume, (long.Parse(token) - 1).ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PutAsync(http, volume, "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(http, volume, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(http, Manifest("application/vnd.example.other", config, empty.Length), null)).StatusCode);
    }

    private static string Manifest(string artifactType, string config, int size) =>
        $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"{{artifactType}}","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{config}}","size":{{size}}},"layers":[]}""";

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, string manifest, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/team/api/manifests/latest")
        {
            Content = new StringContent(manifest, Encoding.UTF8, "application/vnd.oci.image.manifest.v1+json"),
        };
        if (token is not null)
        {
            request.Headers.Add(VolumeArtifact.FencingTokenHeader, token);
        }
        return await http.SendAsync(request);
    }

    private static async Task<string> PushBlobAsync(HttpClient http, byte[] content)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var started = await http.PostAsync("/v2/team/api/blobs/uploads/", null);
        var location = started.Headers.Location!.OriginalString;
        var put = await http.PutAsync(location + (location.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest), new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }
}
