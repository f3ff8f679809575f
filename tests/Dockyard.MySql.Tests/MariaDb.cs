using Dockyard.Testing;
using MySqlConnector;

namespace Dockyard.MySql.Tests;

/// <summary>
/// The MariaDB that infra/scripts/mariadb.sh started (test.sh exports <c>DOCKYARD_TEST_MYSQL</c>, a connection string
/// whose user may create databases). Tests get databases of their own and drop them afterwards.
/// </summary>
internal static class MariaDb
{
    public const string Variable = "DOCKYARD_TEST_MYSQL";

    /// <summary>The connection string; null (after reporting it, or failing on CI) when MariaDB is not running.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : RequiredTool.Missing("mariadb", $"is not running ({Variable} is unset; infra/scripts/mariadb.sh start)");

    /// <summary>Creates an empty database with a fresh name; returns the store options that reach it.</summary>
    public static async Task<MySqlStoreOptions> CreateDatabaseAsync(string connectionString)
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(connectionString, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return OptionsFor(connectionString, name);
    }

    public static Task DropDatabaseAsync(string connectionString, string name) =>
        ExecuteAsync(connectionString, $"DROP DATABASE IF EXISTS `{name}`");

    /// <summary>The <c>[db]</c> options of the server in <paramref name="connectionString"/> for database <paramref name="database"/>.</summary>
    public static MySqlStoreOptions OptionsFor(string connectionString, string database)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        return new MySqlStoreOptions { Uri = $"{builder.Server}:{builder.Port}", User = builder.UserID, Password = builder.Password, Database = database };
    }

    /// <summary><paramref name="connectionString"/> with its database replaced by <paramref name="database"/>.</summary>
    public static string ConnectionTo(string connectionString, string database) =>
        new MySqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static Task ExecuteAsync(string connectionString, string sql) => ScalarAsync(connectionString, sql);
}
