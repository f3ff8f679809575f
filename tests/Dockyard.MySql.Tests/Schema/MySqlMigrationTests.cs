using Dockyard.MySql.Schema;

namespace Dockyard.MySql.Tests.Schema;

/// <summary>Versioned migrations under <c>GET_LOCK('dockyard.migrations')</c>: one schema however many nodes start at once.</summary>
public sealed class MySqlMigrationTests
{
    [Fact]
    public async Task Eight_stores_started_at_once_on_an_empty_database_leave_one_schema_and_no_error()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        var database = options.Database!;
        try
        {
            var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => MySqlRegistration.Open(options, TimeSpan.FromSeconds(60)))));

            Assert.Equal(8, opened.Length);
            var scoped = MariaDb.ConnectionTo(server, database);
            Assert.Equal((long)MySqlMigrations.All.Count, Convert.ToInt64(await MariaDb.ScalarAsync(scoped, "SELECT COUNT(*) FROM schema_migrations")));
            Assert.Equal((long)MySqlMigrations.All.Max(m => m.Version), Convert.ToInt64(await MariaDb.ScalarAsync(scoped, "SELECT MAX(version) FROM schema_migrations")));
            // The 31 tables of the seven steps and schema_migrations; the stores on any node see one another's rows.
            Assert.Equal(32L, Convert.ToInt64(await MariaDb.ScalarAsync(scoped,
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()")));
            await new MySqlMetadataStore(opened[7]).Repositories.EnsureAsync(Core.Names.RepositoryName.Parse("team/app"), CancellationToken.None);
            Assert.True(await new MySqlMetadataStore(opened[0]).Repositories.ExistsAsync(Core.Names.RepositoryName.Parse("team/app"), CancellationToken.None));
        }
        finally
        {
            await MariaDb.DropDatabaseAsync(server, database);
        }
    }

    [Fact]
    public async Task A_current_schema_is_left_alone_and_a_missing_step_is_applied_once()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        try
        {
            var db = MySqlRegistration.Open(options, TimeSpan.FromSeconds(60));
            Assert.Empty(await MySqlMigrator.MigrateAsync(db, CancellationToken.None));

            // A node that crashed after the last step but before recording it: its record gone, its change made (the rerun
            // must pass over it: IF NOT EXISTS, or "duplicate column" for an ADD COLUMN step).
            var last = MySqlMigrations.All[^1].Version;
            await using (var connection = await db.OpenAsync(CancellationToken.None))
            {
                await MySqlDatabase.ExecuteAsync(connection, null, "DELETE FROM schema_migrations WHERE version = @v", CancellationToken.None, ("@v", last));
            }
            Assert.Equal([last], await MySqlMigrator.MigrateAsync(db, CancellationToken.None));
            Assert.Empty(await MySqlMigrator.MigrateAsync(db, CancellationToken.None));
        }
        finally
        {
            await MariaDb.DropDatabaseAsync(server, options.Database!);
        }
    }
}
