using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>Statements on a store's SQLite file outside the store (its own unpooled connection): rows as another writer leaves them, and what is there.</summary>
internal sealed class SqliteRawFile(string path)
{
    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    public long? Scalar(string sql, params (string Name, object? Value)[] parameters) => Value(sql, parameters) as long?;

    public string? Text(string sql, params (string Name, object? Value)[] parameters) => Value(sql, parameters) as string;

    private object? Value(string sql, (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
