using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// One open connection and its commands (by SQL text), so their prepared statements: Microsoft.Data.Sqlite finalizes a
/// command's statements when its connection closes, also when it only goes back to its pool, so a statement on a freshly
/// opened connection is parsed and planned again. Used by one query or one write transaction at a time.
/// </summary>
internal sealed class SqliteSession(SqliteConnection connection) : IDisposable
{
    // Statements are few and fixed; the bound only guards against SQL built from data.
    private const int MaxCommands = 128;

    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>The command for <paramref name="sql"/>, bound to <paramref name="parameters"/> and run in <paramref name="transaction"/> (null: none).</summary>
    public SqliteCommand Command(string sql, (string Name, object? Value)[] parameters, SqliteTransaction? transaction = null)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            if (commands.Count >= MaxCommands)
            {
                DisposeCommands();
            }
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }
        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public void Dispose()
    {
        DisposeCommands();
        connection.Dispose();
    }

    private void DisposeCommands()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }
        commands.Clear();
    }
}
