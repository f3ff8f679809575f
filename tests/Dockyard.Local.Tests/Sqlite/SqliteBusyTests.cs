using System.Net;
using Dockyard.Core.Metadata;
using Dockyard.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// Another process holding metadata.db's write lock longer than <c>[db] busytimeout</c>: the registry's writes answer
/// 503 with Retry-After (not 500), reads go on (WAL), and the same write succeeds once the lock is released.
/// </summary>
public sealed class SqliteBusyTests
{
    [Fact]
    public async Task A_write_locked_out_past_the_busy_timeout_answers_503_and_succeeds_after_the_lock()
    {
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["db:busytimeout"] = "1" });
        var database = Path.Combine(server.DataPath, "metadata.db");
        // The schema is made beside Kestrel's start; the lock below must find it made, as a running registry's would.
        foreach (var preparation in server.Services.GetServices<IStorePreparation>())
        {
            await preparation.PrepareAsync();
        }
        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            holder.Open();
            // BEGIN IMMEDIATE takes the write lock and keeps it until the transaction ends.
            await using var locked = holder.BeginTransaction(deferred: false);

            using (var blocked = await server.Client.PostAsync("/v2/busy/app/blobs/uploads/", null))
            {
                Assert.Null(await UnavailableAnswer.CheckAsync(blocked));
            }
            using (var read = await server.Client.GetAsync("/v2/_catalog"))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }
        }

        using var retried = await server.Client.PostAsync("/v2/busy/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
    }
}
