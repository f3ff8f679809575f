using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Azure.Tests.Registry;
using Dockyard.Testing;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>
/// The table endpoint going away under running registries (<c>[db] driver = azuretables</c>, blobs in Azure Blob
/// Storage that stays up, so every failure seen is the tables'): each request that needs metadata answers 503
/// UNAVAILABLE with Retry-After and the error body, never 500, and the same requests succeed once the tables are back.
/// </summary>
public sealed class AzureTableOutageTests
{
    private const string Repository = "team/app";

    [Fact]
    public async Task Requests_answer_503_while_the_tables_are_down_and_succeed_after_the_restart()
    {
        if (Azurite.ConnectionString is not { } shared)
        {
            return;
        }
        await using var tables = await PrivateAzurite.StartAsync();
        if (tables is null)
        {
            return;
        }
        var connection = WithTableEndpoint(shared, tables.TableEndpoint);
        var container = Dockyard.Azure.Tests.Azurite.NewContainerName();
        var keys = Path.Combine(Path.GetTempPath(), "dockyard-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Two nodes on the same tables: an open one for the distribution and UAM reads, an enforced one for tokens.
            await using var open = await RegistryServer.StartAsync(Settings(connection, container));
            await using var enforced = await RegistryServer.StartAsync(new Dictionary<string, string?>(Settings(connection, container))
            {
                ["dockyard:standalone"] = "false",
                ["auth_server:privateKey"] = Path.Combine(keys, "token.key"),
                ["token:rootcertbundle"] = Path.Combine(keys, "token.crt"),
            });
            var requests = await PrepareAsync(open.Client, enforced.Client);

            await tables.KillAsync();
            await ExpectAllAsync(requests, expectUnavailable: true);

            await tables.StartAgainAsync();
            await ExpectAllAsync(requests, expectUnavailable: false);
        }
        finally
        {
            await Dockyard.Azure.Tests.Azurite.Connect(shared, container).DeleteIfExistsAsync();
            if (Directory.Exists(keys))
            {
                Directory.Delete(keys, recursive: true);
            }
        }
    }

    /// <summary>One request the test sends in each phase, and what it answers when the tables are up.</summary>
    private sealed record Probe(string Name, HttpClient Client, Func<HttpRequestMessage> Create, HttpStatusCode Healthy);

    /// <summary>Pushes an image, signs up a user with an organization and opens an upload; returns the requests to probe.</summary>
    private static async Task<List<Probe>> PrepareAsync(HttpClient open, HttpClient enforced)
    {
        var image = await AzureRegistry.PushImageAsync(open, Repository, "v1");
        using var manifest = JsonDocument.Parse(image);
        var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString();
        using (var signup = await enforced.PostAsJsonAsync("/uam/user/signup", new { name = "alice", email = "alice@example.com", password = "secret-alice", realname = "Alice" }))
        {
            Assert.Equal(HttpStatusCode.Created, signup.StatusCode);
        }
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret-alice")));
        using (var organization = new HttpRequestMessage(HttpMethod.Post, "/uam/organization") { Content = JsonContent.Create(new { name = "acme", memberprivilege = 4 }) })
        {
            organization.Headers.Authorization = basic;
            using var created = await enforced.SendAsync(organization);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using var upload = await open.PostAsync($"/v2/{Repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var location = upload.Headers.Location!;

        HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);
        HttpRequestMessage Head(string path) => new(HttpMethod.Head, path);
        HttpRequestMessage Manifest(HttpMethod method)
        {
            var request = new HttpRequestMessage(method, $"/v2/{Repository}/manifests/v1");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(AzureRegistry.OciManifest));
            return request;
        }
        return
        [
            new("blob GET", open, () => Get($"/v2/{Repository}/blobs/{layer}"), HttpStatusCode.OK),
            new("blob HEAD", open, () => Head($"/v2/{Repository}/blobs/{layer}"), HttpStatusCode.OK),
            new("manifest GET", open, () => Manifest(HttpMethod.Get), HttpStatusCode.OK),
            new("manifest HEAD", open, () => Manifest(HttpMethod.Head), HttpStatusCode.OK),
            new("manifest PUT", open, () => new(HttpMethod.Put, $"/v2/{Repository}/manifests/v2")
            {
                Content = new ByteArrayContent(image) { Headers = { ContentType = new MediaTypeHeaderValue(AzureRegistry.OciManifest) } },
            }, HttpStatusCode.Created),
            new("tags/list", open, () => Get($"/v2/{Repository}/tags/list"), HttpStatusCode.OK),
            new("catalog", open, () => Get("/v2/_catalog"), HttpStatusCode.OK),
            new("upload POST", open, () => new(HttpMethod.Post, $"/v2/{Repository}/blobs/uploads/"), HttpStatusCode.Accepted),
            new("PATCH on an open upload", open, () => Patch(location), HttpStatusCode.Accepted),
            new("UAM user read", open, () => Get("/uam/user/alice"), HttpStatusCode.OK),
            new("UAM organization read", open, () => Get("/uam/organization/acme"), HttpStatusCode.OK),
            new("token with Basic credentials", enforced, () =>
            {
                var request = Get("/uam/auth?service=token-service&scope=repository:alice/app:pull,push");
                request.Headers.Authorization = basic;
                return request;
            }, HttpStatusCode.OK),
        ];
    }

    /// <summary>The first bytes of the open upload; repeatable because a refused PATCH commits nothing.</summary>
    private static HttpRequestMessage Patch(Uri location)
    {
        var content = new ByteArrayContent("chunk"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-Range", "0-4");
        return new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
    }

    /// <summary>Sends every probe at once (each waits out the SDK's retries when the tables are down) and checks the answers.</summary>
    private static async Task ExpectAllAsync(List<Probe> probes, bool expectUnavailable)
    {
        var wrong = await Task.WhenAll(probes.Select(async p =>
        {
            using var request = p.Create();
            using var response = await p.Client.SendAsync(request);
            var problem = expectUnavailable
                ? await UnavailableAnswer.CheckAsync(response)
                : response.StatusCode == p.Healthy ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return problem is null ? null : $"{p.Name}: {problem}";
        }));
        Assert.True(wrong.All(w => w is null), $"{(expectUnavailable ? "with the tables down" : "with the tables up")}:\n{string.Join("\n", wrong.OfType<string>())}");
    }

    private static Dictionary<string, string?> Settings(string connection, string container) => new()
    {
        ["dockyard:backend"] = "azure",
        ["db:driver"] = "azuretables",
        ["azure:connectionstring"] = connection,
        ["azure:container"] = container,
    };

    /// <summary>The shared Azurite's connection string with its table service replaced by <paramref name="endpoint"/>.</summary>
    private static string WithTableEndpoint(string connection, string endpoint) =>
        string.Join(';', connection.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("TableEndpoint=", StringComparison.OrdinalIgnoreCase))
            .Append("TableEndpoint=" + endpoint)) + ";";
}
