using System.Net;
using Dockyard.Core.Accounts;
using Dockyard.Hosting.Configuration;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Hosting;

/// <summary>
/// Two nodes over one metadata store (two composed registries on one SQLite file), as behind a proxy: the session key
/// ring lives in the store, so a cookie or antiforgery token one node made is accepted by the other, sealed at rest
/// under a secret both share, and refused by a node holding another secret.
/// </summary>
public sealed class SharedKeyRingTests : IDisposable
{
    private readonly string shared = Directory.CreateTempSubdirectory("dockyard-keyring-").FullName;

    [Fact]
    public async Task A_session_made_on_one_node_is_valid_on_the_other_and_the_keys_are_sealed_at_rest()
    {
        var secret = new Dictionary<string, string?> { ["web:secret"] = "one secret every node shares" };
        await using var nodeA = await WebRegistry.StartAsync(extra: Node(secret));
        await using var nodeB = await WebRegistry.StartAsync(extra: Node(secret));
        await nodeA.AddUserAsync("alice", "alice-secret-1");
        // Node B builds its key ring first (a page answered), node A then reads that ring rather than making its own.
        using (var first = new WebSession(nodeB.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).Status);
        }

        using var session = await nodeA.SignedInAsync("alice", "alice-secret-1");

        Assert.Contains("Signed in as <strong>alice</strong>", await PageOnAsync(session, nodeB, "/"));
        // The antiforgery token of node A's page passes node B's check too: sign out there.
        using (var signOut = await session.PostAsync(new Uri(nodeB.BaseAddress, "/signout").ToString(), new Dictionary<string, string>(),
            await session.TokenFromAsync("/")))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }
        Assert.DoesNotContain("Signed in as", await PageOnAsync(session, nodeA, "/"));

        var stored = await nodeA.Server.Services.GetRequiredService<ISessionKeyStore>().ListAsync(CancellationToken.None);
        Assert.NotEmpty(stored);
        Assert.All(stored, key =>
        {
            Assert.StartsWith("aesgcm:", key.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", key.Content, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Without_a_secret_the_shared_token_signing_key_seals_the_ring()
    {
        var keys = new Dictionary<string, string?>
        {
            ["auth_server:privateKey"] = Path.Combine(shared, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(shared, "token.crt"),
        };
        await using var nodeA = await WebRegistry.StartAsync(extra: Node(keys));
        await using var nodeB = await WebRegistry.StartAsync(extra: Node(keys));
        await nodeA.AddUserAsync("alice", "alice-secret-1");

        using var session = await nodeA.SignedInAsync("alice", "alice-secret-1");

        Assert.Contains("Signed in as <strong>alice</strong>", await PageOnAsync(session, nodeB, "/"));
        var stored = await nodeB.Server.Services.GetRequiredService<ISessionKeyStore>().ListAsync(CancellationToken.None);
        Assert.All(stored, key => Assert.StartsWith("aesgcm:", key.Content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_with_another_secret_cannot_read_the_ring_and_refuses_the_cookie()
    {
        await using var nodeA = await WebRegistry.StartAsync(extra: Node(new() { ["web:secret"] = "the secret of node a only" }));
        await using var nodeB = await WebRegistry.StartAsync(extra: Node(new() { ["web:secret"] = "the secret of node b only" }));
        await nodeA.AddUserAsync("alice", "alice-secret-1");

        using var session = await nodeA.SignedInAsync("alice", "alice-secret-1");

        Assert.Contains("Signed in as <strong>alice</strong>", await PageOnAsync(session, nodeA, "/"));
        Assert.DoesNotContain("Signed in as", await PageOnAsync(session, nodeB, "/"));
    }

    [Fact]
    public async Task In_standalone_mode_without_a_secret_the_ring_is_stored_as_plain_xml()
    {
        await using var node = await WebRegistry.StartAsync(standalone: true, extra: Node([]));

        using (var anonymous = new WebSession(node.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/signin")).Status);
        }

        var key = Assert.Single(await node.Server.Services.GetRequiredService<ISessionKeyStore>().ListAsync(CancellationToken.None));
        Assert.StartsWith("<key ", key.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_secret_stops_start_up_naming_the_key()
    {
        var fault = await Assert.ThrowsAsync<StartupException>(() =>
            RegistryServer.StartAsync(new Dictionary<string, string?> { ["web:secret"] = "too short" }));

        Assert.Contains("[web] secret", fault.Message);
    }

    /// <summary>The settings of one node: <paramref name="settings"/> plus the metadata file every node of the test shares.</summary>
    private Dictionary<string, string?> Node(Dictionary<string, string?> settings) =>
        new(settings) { ["db:uri"] = Path.Combine(shared, "metadata.db") };

    private static async Task<string> PageOnAsync(WebSession session, WebRegistry node, string path)
    {
        // Cookies are scoped by host, not port: the session's cookies go to either node.
        using var response = await session.Client.GetAsync(new Uri(node.BaseAddress, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(shared, recursive: true);
    }
}
