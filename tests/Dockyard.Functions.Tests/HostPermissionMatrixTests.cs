using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Functions.Tests;

/// <summary>
/// The permission matrix on the Functions worker's dispatch path, side by side with <c>dockyard web</c>'s: the same
/// accounts, repository and requests on both hosts (enforced auth, embedded storage), with Basic credentials and with
/// bearer tokens of each scope. Every cell must be refused or let through as the rules say, and both hosts must give
/// the same status code for it.
/// </summary>
public sealed class HostPermissionMatrixTests
{
    private const string Missing = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>A door: its request, and what it needs (pull, push, delete, or account: any signed-in user via Basic).</summary>
    private static readonly (string Name, HttpMethod Method, string Path, string? Body, string Need, bool BearerDoor)[] Doors =
    [
        ("manifest get", HttpMethod.Get, "/v2/alice/app/manifests/v1", null, "pull", true),
        ("tags list", HttpMethod.Get, "/v2/alice/app/tags/list", null, "pull", true),
        ("blob get", HttpMethod.Get, $"/v2/alice/app/blobs/{Missing}", null, "pull", true),
        ("referrers", HttpMethod.Get, $"/v2/alice/app/referrers/{Missing}", null, "pull", true),
        ("signatures get", HttpMethod.Get, $"/extensions/v2/alice/app/signatures/{Missing}", null, "pull", true),
        ("manifest put", HttpMethod.Put, "/v2/alice/app/manifests/matrix", "{}", "push", true),
        ("upload start", HttpMethod.Post, "/v2/alice/app/blobs/uploads/", null, "push", true),
        ("manifest delete", HttpMethod.Delete, $"/v2/alice/app/manifests/{Missing}", null, "delete", true),
        ("blob delete", HttpMethod.Delete, $"/v2/alice/app/blobs/{Missing}", null, "delete", true),
        ("v1 tags", HttpMethod.Get, "/v1/repositories/alice/app/tags", null, "pull", false),
        ("v1 tag put", HttpMethod.Put, "/v1/repositories/alice/app/tags/matrix", "\"" + new string('e', 64) + "\"", "push", false),
        ("appc pubkeys", HttpMethod.Get, "/appc/alice/app/pubkeys", null, "pull", false),
        ("appc fetch", HttpMethod.Get, "/appc/alice/app/fetch/app-9.9-linux-amd64.aci", null, "pull", false),
        ("uam user", HttpMethod.Get, "/uam/user/alice", null, "account", false),
        ("uam repository", HttpMethod.Get, "/uam/repository/alice/app", null, "account", false),
    ];

    /// <summary>Basic principals: user (null: anonymous) and the actions it holds on alice/app.</summary>
    private static readonly (string Name, string? User, string[] Holds)[] BasicPrincipals =
    [
        ("anonymous", null, []),
        ("owner", "alice", ["pull", "push", "delete"]),
        ("outsider", "mallory", []),
        ("admin", "root", ["pull", "push", "delete"]),
    ];

    /// <summary>Bearer principals: who asks for a token and the scope asked for on alice/app.</summary>
    private static readonly (string Name, string User, string Scope, string[] Holds)[] BearerPrincipals =
    [
        ("owner pull", "alice", "pull", ["pull"]),
        ("owner push", "alice", "push", ["push"]),
        ("owner pull,push", "alice", "pull,push", ["pull", "push"]),
        ("owner delete", "alice", "delete", ["delete"]),
        ("outsider all", "mallory", "pull,push,delete", []),
    ];

    [Fact]
    public async Task Every_cell_is_decided_by_the_rules_and_alike_on_the_worker_and_on_dockyard_web()
    {
        var workerData = Directory.CreateTempSubdirectory("dockyard-fn-matrix-").FullName;
        var serverKeys = Directory.CreateTempSubdirectory("dockyard-web-keys-").FullName;
        try
        {
            await using var worker = await WorkerHost.StartAsync(Settings(workerData));
            await using var server = await RegistryServer.StartAsync(Settings(null, serverKeys));
            var onWorker = await RunAsync(worker.Client, worker.Services);
            var onServer = await RunAsync(server.Client, server.Services);

            var problems = new List<string>();
            foreach (var (cell, (status, allowed, body)) in onWorker)
            {
                var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                if (refused == allowed)
                {
                    problems.Add($"worker: {cell} should be {(allowed ? "let through" : "refused")}: {(int)status} {body}");
                }
                if (onServer[cell].Status != status)
                {
                    problems.Add($"{cell}: worker {(int)status}, dockyard web {(int)onServer[cell].Status}");
                }
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            Assert.Equal((BasicPrincipals.Length * Doors.Length) + (BearerPrincipals.Length * Doors.Count(d => d.BearerDoor)), onWorker.Count);
        }
        finally
        {
            Directory.Delete(workerData, recursive: true);
            Directory.Delete(serverKeys, recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings(string? data, string? keys = null)
    {
        keys ??= Path.Combine(data!, "keys");
        var settings = new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(keys, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(keys, "token.crt"),
        };
        if (data is not null)
        {
            settings["dockyard:path"] = data;
        }
        return settings;
    }

    /// <summary>Sets up the accounts and alice/app (private, one image tagged v1), then sends every cell; returns each cell's answer and whether the rules allow it.</summary>
    private static async Task<Dictionary<string, (HttpStatusCode Status, bool Allowed, string Body)>> RunAsync(HttpClient client, IServiceProvider services)
    {
        var users = services.GetRequiredService<UserService>();
        foreach (var (user, admin) in new[] { ("alice", false), ("mallory", false), ("root", true) })
        {
            await users.AddAsync(user, Password(user), user + "@example.com", admin, CancellationToken.None);
        }
        using (var create = await SendAsync(client, HttpMethod.Post, "/uam/repository", Basic("alice"),
            JsonSerializer.Serialize(new { name = "app", ispublic = false, username = "alice" })))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }
        await PushImageAsync(client);
        var service = services.GetRequiredService<RegistryAuthOptions>().Service;

        var cells = new Dictionary<string, (HttpStatusCode, bool, string)>();
        foreach (var (name, user, holds) in BasicPrincipals)
        {
            foreach (var door in Doors)
            {
                var allowed = door.Need == "account" ? user is not null : door.Need == "push" ? holds.Contains("push") : holds.Contains(door.Need);
                using var response = await SendAsync(client, door.Method, door.Path, user is null ? null : Basic(user), door.Body);
                cells[$"{door.Name} as {name}"] = (response.StatusCode, allowed, await response.Content.ReadAsStringAsync());
            }
        }
        foreach (var (name, user, scope, holds) in BearerPrincipals)
        {
            using var tokenResponse = await SendAsync(client, HttpMethod.Get, $"/uam/auth?service={service}&scope=repository:alice/app:{scope}", Basic(user), null);
            Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
            var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
            foreach (var door in Doors.Where(d => d.BearerDoor))
            {
                string[] needs = door.Need == "push" ? ["pull", "push"] : [door.Need];
                using var response = await SendAsync(client, door.Method, door.Path, new AuthenticationHeaderValue("Bearer", token), door.Body);
                cells[$"{door.Name} with {name}"] = (response.StatusCode, needs.All(holds.Contains), await response.Content.ReadAsStringAsync());
            }
        }
        return cells;
    }

    private static async Task PushImageAsync(HttpClient client)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
        var layer = RandomNumberGenerator.GetBytes(500);
        foreach (var blob in new[] { config, layer })
        {
            using var push = await SendAsync(client, HttpMethod.Post, $"/v2/alice/app/blobs/uploads/?digest={DigestOf(blob)}", Basic("alice"), null, blob);
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }
        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{DigestOf(layer)}}","size":{{layer.Length}}}]}""";
        using var put = await SendAsync(client, HttpMethod.Put, "/v2/alice/app/manifests/v1", Basic("alice"), manifest, contentType: "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? body,
        byte[]? bytes = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = authorization } };
        if (bytes is not null)
        {
            request.Content = new ByteArrayContent(bytes);
        }
        else if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        return await client.SendAsync(request);
    }

    private static string Password(string user) => "secret-" + user + "-matrix";

    private static AuthenticationHeaderValue Basic(string user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password(user)}")));

    private static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
}
