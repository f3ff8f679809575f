using MySqlConnector;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>
/// One database per test class (a class fixture), so the classes run in parallel on the shared server without
/// seeing each other's rows. It is created and migrated on first use; each test then starts from empty tables.
/// </summary>
public sealed class MySqlTestDatabase : IAsyncLifetime
{
    private string? connectionString;
    private MySqlDatabase? db;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The class's database with every table emptied (the recorded migrations stay).</summary>
    public async Task<MySqlDatabase> FreshAsync()
    {
        if (db is null)
        {
            connectionString = MariaDb.ConnectionString ?? throw new InvalidOperationException("SKIPPED: mariadb is not running");
            db = MySqlRegistration.Open(await MariaDb.CreateDatabaseAsync(connectionString), TimeSpan.FromSeconds(60));
        }
        // DELETE, not TRUNCATE: emptying small tables is far cheaper than InnoDB's drop-and-create of each.
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var tables = new List<string>();
        await using (var list = new MySqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        await using var delete = new MySqlCommand(string.Concat(tables.Select(t => $"DELETE FROM `{t}`;")), connection);
        await delete.ExecuteNonQueryAsync();
        return db;
    }

    public async Task DisposeAsync()
    {
        if (db is not null && connectionString is not null)
        {
            await MariaDb.DropDatabaseAsync(connectionString, db.DatabaseName);
        }
    }
}
