using System.Globalization;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.MySql.Tests.Configuration;

/// <summary><c>[db] maxconnections</c> bounds the connections one node opens: requests beyond it wait for a free one.</summary>
public sealed class MySqlMaxConnectionsTests
{
    [Fact]
    public async Task Forty_reads_at_once_share_the_two_connections_of_a_pool_of_two()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        try
        {
            var pooled = new MySqlStoreOptions { Uri = options.Uri, User = options.User, Password = options.Password, Database = options.Database, MaxConnections = 2 };
            var db = MySqlRegistration.Open(pooled, TimeSpan.FromSeconds(60));
            var store = new MySqlMetadataStore(db);
            var repository = RepositoryName.Parse("team/app");
            await store.Repositories.EnsureAsync(repository, CancellationToken.None);
            var countQuery = $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '{options.Database}'";

            var reads = Enumerable.Range(0, 40).Select(_ => store.Repositories.ExistsAsync(repository, CancellationToken.None)).ToList();
            var busiest = 0L;
            while (!reads.All(r => r.IsCompleted))
            {
                busiest = Math.Max(busiest, Convert.ToInt64(await MariaDb.ScalarAsync(server, countQuery), CultureInfo.InvariantCulture));
            }

            Assert.All(await Task.WhenAll(reads), Assert.True);
            var open = Convert.ToInt64(await MariaDb.ScalarAsync(server, countQuery), CultureInfo.InvariantCulture);
            Assert.InRange(Math.Max(busiest, open), 1, 2);
        }
        finally
        {
            await MariaDb.DropDatabaseAsync(server, options.Database!);
        }
    }

    [Fact]
    public async Task A_request_that_waits_for_a_busy_pool_past_the_connect_timeout_is_unavailable_then_served()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        try
        {
            var single = new MySqlStoreOptions
            {
                Uri = options.Uri, User = options.User, Password = options.Password, Database = options.Database, MaxConnections = 1,
                ConnectTimeout = TimeSpan.FromSeconds(1),
            };
            var db = MySqlRegistration.Open(single, TimeSpan.FromSeconds(60));
            var store = new MySqlMetadataStore(db);
            var repository = RepositoryName.Parse("team/app");

            await using (await db.OpenAsync(CancellationToken.None))
            {
                var fault = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.Repositories.ExistsAsync(repository, CancellationToken.None));
                Assert.Equal("mysql", fault.Backend);
            }

            Assert.False(await store.Repositories.ExistsAsync(repository, CancellationToken.None));
        }
        finally
        {
            await MariaDb.DropDatabaseAsync(server, options.Database!);
        }
    }
}
