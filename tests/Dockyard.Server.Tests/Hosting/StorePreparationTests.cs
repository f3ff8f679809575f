using System.Net;
using System.Text.Json;
using Dockyard.Testing;
using Microsoft.Data.Sqlite;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// The SQLite schema is made while Kestrel starts, not before: the server answers at once, requests that need the
/// metadata wait for the schema and then succeed, /readyz says starting until then, and a schema that cannot be made
/// stops <c>dockyard web</c> with the file named.
/// </summary>
public sealed class StorePreparationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-prep-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Requests_before_the_schema_is_made_wait_for_it_and_succeed()
    {
        var file = Path.Combine(folder, "metadata.db");
        // Another connection holds the file's write lock, so the schema's transaction waits (up to [db] busytimeout).
        await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
        await holder.OpenAsync();
        await using (var wal = holder.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync();
        }
        using var writeLock = holder.BeginTransaction(deferred: false);

        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["db:uri"] = file });

        // Serving does not wait for the schema; what reads the metadata does.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v2/")).StatusCode);
        var catalog = server.Client.GetAsync("/v2/_catalog");
        var (status, metadata) = await ReadyzAsync(server);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "starting"), (status, metadata));
        Assert.False(catalog.IsCompleted, "the catalog was answered before the schema existed");

        writeLock.Commit();
        using var answered = await catalog.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "ok"), await ReadyzAsync(server));
        using var push = await server.Client.PostAsync("/v2/prep/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
    }

    [Fact]
    public async Task A_metadata_file_that_is_not_a_database_stops_dockyard_web_naming_it()
    {
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, "metadata.db");
        await File.WriteAllBytesAsync(file, [.. Enumerable.Repeat((byte)0x5a, 8192)]);

        // Port 0: nothing connects, and a free port picked beforehand can be taken by a parallel test before the host binds
        // it (then the exit is 1, for the bind, not 2).
        var (exit, _, error) = await RequiredTool.RunAsync("dotnet",
            [DockyardProcess.DllPath, "web", "--address", "127.0.0.1", "--port", "0"],
            new Dictionary<string, string> { ["DOCKYARD_DOCKYARD__PATH"] = data }, TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains($"dockyard: the SQLite metadata file '{file}' could not be prepared", error);
        Assert.Contains("not a database", error);
    }

    private static async Task<(HttpStatusCode Status, string Metadata)> ReadyzAsync(RegistryServer server)
    {
        using var response = await server.Client.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("checks").GetProperty("metadata").GetString()!);
    }
}
