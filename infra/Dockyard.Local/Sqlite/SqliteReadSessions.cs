using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Connections kept open for reads, each keeping its commands (by SQL text) and so their prepared statements.
/// Microsoft.Data.Sqlite finalizes a command's statements when its connection closes, also when the connection only
/// goes back to its pool, so every query on a freshly opened connection parsed and planned its SQL again: about a fifth
/// of the CPU of a manifest GET (<c>perf</c>: sqlite3RunParser, the where-planner). A handful of sessions suffice: a
/// query runs synchronously inside the driver, so no more run at once than there are threads running.
/// </summary>
internal sealed class SqliteReadSessions(Func<CancellationToken, Task<SqliteConnection>> open) : IDisposable
{
    private static readonly int Keep = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly ConcurrentQueue<Session> idle = new();
    private int idleCount;
    private volatile bool disposed;

    public async ValueTask<Session> RentAsync(CancellationToken cancellationToken)
    {
        if (idle.TryDequeue(out var session))
        {
            Interlocked.Decrement(ref idleCount);
            return session;
        }
        return new Session(await open(cancellationToken));
    }

    /// <summary>Takes back a session whose last query completed; one that failed is disposed by its caller instead.</summary>
    public void Return(Session session)
    {
        if (disposed)
        {
            session.Dispose();
            return;
        }
        if (Interlocked.Increment(ref idleCount) > Keep)
        {
            Interlocked.Decrement(ref idleCount);
            session.Dispose();
            return;
        }
        idle.Enqueue(session);
        if (disposed)
        {
            Drain();
        }
    }

    public void Dispose()
    {
        disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (idle.TryDequeue(out var session))
        {
            session.Dispose();
        }
    }

    /// <summary>One open connection and its commands; used by one query at a time.</summary>
    internal sealed class Session(SqliteConnection connection) : IDisposable
    {
        // Statements are few and fixed; the bound only guards against SQL built from data.
        private const int MaxCommands = 128;

        private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        public SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
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
}
