using MySqlConnector;

namespace Dockyard.MySql.Schema;

/// <summary>
/// Brings a database to the newest schema. Nodes starting together queue on the server's named lock
/// <c>dockyard.migrations</c>, so each step runs once, in order, and is recorded in <c>schema_migrations</c>.
/// </summary>
internal static class MySqlMigrator
{
    public const string LockName = "dockyard.migrations";

    private const int LockSeconds = 30;

    /// <summary>Applies the missing migrations; returns the versions it applied (empty when the schema was current).</summary>
    /// <exception cref="TimeoutException">Another node held the lock for more than 30 s.</exception>
    public static async Task<IReadOnlyList<int>> MigrateAsync(MySqlDatabase db, CancellationToken cancellationToken)
    {
        // The named lock belongs to the connection: every step runs on this one, and closing it releases the lock too.
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await ScalarAsync(connection, $"SELECT GET_LOCK('{LockName}', {LockSeconds})", cancellationToken) is not 1L and not 1)
        {
            throw new TimeoutException($"another node held the lock '{LockName}' for more than {LockSeconds} s while migrating '{db.DatabaseName}'");
        }
        try
        {
            await MySqlDatabase.ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, applied_at DATETIME(6) NOT NULL)
                    ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """, cancellationToken);
            var applied = new HashSet<int>();
            await using (var command = new MySqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }
            var ran = new List<int>();
            foreach (var migration in MySqlMigrations.All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                await MySqlDatabase.ExecuteAsync(connection, null, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)",
                    cancellationToken, ("@v", migration.Version), ("@n", migration.Name), ("@at", MySqlText.Now()));
                ran.Add(migration.Version);
            }
            return ran;
        }
        finally
        {
            try
            {
                await ScalarAsync(connection, $"SELECT RELEASE_LOCK('{LockName}')", CancellationToken.None);
            }
            catch (MySqlException)
            {
                // The connection broke (the failure being reported is why): the server drops its locks with it.
            }
        }
    }

    private static async Task ApplyAsync(MySqlConnection connection, MySqlMigration migration, CancellationToken cancellationToken)
    {
        try
        {
            await MySqlDatabase.ExecuteAsync(connection, null, migration.Sql, cancellationToken);
        }
        catch (MySqlException e) when (migration.AddsColumn && e.ErrorCode == MySqlErrorCode.DuplicateFieldName)
        {
            // The column is there: this step ran before and the node stopped before recording it.
        }
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
