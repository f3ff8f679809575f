using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using MySqlConnector;

namespace Dockyard.MySql.Tests.Faults;

/// <summary>
/// A server with no connection left for the registry's account is a transient fault: the store answers
/// <see cref="StorageUnavailableException"/> (503), not a MySqlException (500), and works once a slot is free.
/// </summary>
public sealed class MySqlConnectionLimitTests
{
    [Fact]
    public async Task An_account_out_of_connections_is_unavailable_for_now_and_recovers()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        var user = "u" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            MySqlRegistration.Open(options, TimeSpan.FromSeconds(60));
            await MariaDb.ScalarAsync(server, $"CREATE USER '{user}'@'%' IDENTIFIED BY 'pw' WITH MAX_USER_CONNECTIONS 1");
            await MariaDb.ScalarAsync(server, $"GRANT ALL ON `{options.Database}`.* TO '{user}'@'%'");
            var limited = new MySqlStoreOptions { Uri = options.Uri, User = user, Password = "pw", Database = options.Database };
            var store = new MySqlMetadataStore(new MySqlDatabase(limited));
            var repository = RepositoryName.Parse("team/app");

            await using (var holder = new MySqlConnection(new MySqlDatabase(limited).ConnectionString + ";Pooling=false"))
            {
                await holder.OpenAsync();
                var fault = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.Repositories.EnsureAsync(repository, CancellationToken.None));
                Assert.Equal("mysql", fault.Backend);
            }

            await store.Repositories.EnsureAsync(repository, CancellationToken.None);
            Assert.True(await store.Repositories.ExistsAsync(repository, CancellationToken.None));
        }
        finally
        {
            await MariaDb.ScalarAsync(server, $"DROP USER IF EXISTS '{user}'@'%'");
            await MariaDb.DropDatabaseAsync(server, options.Database!);
        }
    }
}
