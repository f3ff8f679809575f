using System.Net;
using Dockyard.Core.Accounts;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace Dockyard.Web.Tests.Hosting;

/// <summary>
/// Two nodes over one empty metadata store (two composed registries: one SQLite file, or one MariaDB database) make
/// their session key rings at the same moment: they must end with one common key, so that a session made on either is
/// valid on both at once, not only after their next reading of the ring a day later. Three rounds, each on a fresh store.
/// </summary>
public sealed class KeyRingRaceTests
{
    private const int Rounds = 3;

    [Fact]
    public async Task Two_nodes_on_one_empty_sqlite_file_converge_on_one_key()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var folder = Directory.CreateTempSubdirectory("dockyard-keyring-race-").FullName;
            try
            {
                await RaceAsync(new Dictionary<string, string?> { ["db:uri"] = Path.Combine(folder, "metadata.db") });
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Two_nodes_on_one_empty_mariadb_database_converge_on_one_key()
    {
        if (Environment.GetEnvironmentVariable("DOCKYARD_TEST_MYSQL") is not { Length: > 0 } server)
        {
            RequiredTool.Missing("mariadb", "is not running (DOCKYARD_TEST_MYSQL is unset; infra/scripts/mariadb.sh start)");
            return;
        }
        for (var round = 0; round < Rounds; round++)
        {
            var database = "t" + Guid.NewGuid().ToString("N")[..16];
            await ExecuteAsync(server, $"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            try
            {
                var builder = new MySqlConnectionStringBuilder(server);
                await RaceAsync(new Dictionary<string, string?>
                {
                    ["db:driver"] = "mysql", ["db:uri"] = $"{builder.Server}:{builder.Port}", ["db:user"] = builder.UserID,
                    ["db:passwd"] = builder.Password, ["db:name"] = database,
                });
            }
            finally
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS `{database}`");
            }
        }
    }

    private static async Task RaceAsync(Dictionary<string, string?> store)
    {
        var settings = new Dictionary<string, string?>(store) { ["web:secret"] = "one secret every node shares" };
        var nodes = await Task.WhenAll(WebRegistry.StartAsync(extra: settings), WebRegistry.StartAsync(extra: settings));
        await using var nodeA = nodes[0];
        await using var nodeB = nodes[1];
        await nodeA.AddUserAsync("alice", "alice-secret-1");
        using var visitorA = new WebSession(nodeA.BaseAddress);
        using var visitorB = new WebSession(nodeB.BaseAddress);

        // Both nodes' first pages at once: each needs a key (the antiforgery token) and finds none stored.
        var first = await Task.WhenAll(visitorA.GetAsync("/signin"), visitorB.GetAsync("/signin"));
        Assert.All(first, page => Assert.Equal(HttpStatusCode.OK, page.Status));

        var stored = await nodeA.Server.Services.GetRequiredService<ISessionKeyStore>().ListAsync(CancellationToken.None);
        Assert.Single(stored);
        using var onA = await nodeA.SignedInAsync("alice", "alice-secret-1");
        using var onB = await nodeB.SignedInAsync("alice", "alice-secret-1");
        foreach (var (session, other) in new[] { (onA, nodeB), (onB, nodeA) })
        {
            // Cookies are scoped by host, not port: the session's cookies go to either node.
            var (status, html) = await session.GetAsync(new Uri(other.BaseAddress, "/").ToString());
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Signed in as <strong>alice</strong>", html);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
