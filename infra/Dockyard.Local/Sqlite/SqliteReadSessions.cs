using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Connections kept open for reads, each keeping its commands (by SQL text) and so their prepared statements.
/// Microsoft.Data.Sqlite finalizes a command's statements when its connection closes, also when the connection only
/// goes back to its pool, so every query on a freshly opened connection parsed and planned its SQL again: about a fifth
/// of the CPU of a manifest GET (<c>perf</c>: sqlite3RunParser, the where-planner). A handful of sessions suffice: a
/// query runs synchronously inside the driver, so no more run at once than there are threads running.
/// </summary>
/// <remarks>
/// The idle sessions are a stack: a query takes the one that finished last, so the few sessions that run nearly every
/// query (about as many as there are cores) keep their pages warm instead of each kept session seeing a slice of the
/// queries and losing its pages between two of them. A session's connection has a page cache of
/// <see cref="PageCacheKib"/> (SQLite's default is 2,000 KiB), room for the interior pages of the two trees a pull by
/// tag walks in a registry of a million manifests (about 1,300 pages of 4 KiB) and the leaves read between two visits
/// of one of them; with the default, a GET there read 3.6 pages from the kernel where two leaves are the least
/// (docs/benchmarks.md, "Scale"). A connection goes back to the pool, which writers share, with the default again.
/// </remarks>
internal sealed class SqliteReadSessions(Func<CancellationToken, Task<SqliteConnection>> open) : IDisposable
{
    /// <summary>The page cache of a read session's connection, in KiB (SQLite's default is 2,000).</summary>
    internal const int PageCacheKib = 16 * 1024;

    private const int DefaultPageCacheKib = 2000;

    private static readonly int Keep = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly Stack<Session> idle = new();
    private readonly Lock gate = new();
    private bool disposed;

    public async ValueTask<Session> RentAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (idle.TryPop(out var session))
            {
                return session;
            }
        }
        return Session.Start(await open(cancellationToken));
    }

    /// <summary>Takes back a session whose last query completed; one that failed is disposed by its caller instead.</summary>
    public void Return(Session session)
    {
        lock (gate)
        {
            if (!disposed && idle.Count < Keep)
            {
                idle.Push(session);
                return;
            }
        }
        session.Dispose();
    }

    public void Dispose()
    {
        Session[] sessions;
        lock (gate)
        {
            disposed = true;
            sessions = [.. idle];
            idle.Clear();
        }
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }

    /// <summary>One open connection and its commands; used by one query at a time.</summary>
    internal sealed class Session : IDisposable
    {
        // Statements are few and fixed; the bound only guards against SQL built from data.
        private const int MaxCommands = 128;

        private readonly SqliteConnection connection;
        private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        private Session(SqliteConnection connection) => this.connection = connection;

        /// <summary>Makes <paramref name="connection"/> a read session, with the larger page cache.</summary>
        public static Session Start(SqliteConnection connection)
        {
            try
            {
                SetPageCache(connection, PageCacheKib);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            return new Session(connection);
        }

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
            try
            {
                // The pool hands the connection to writers too: it goes back with the default cache, its pages freed.
                SetPageCache(connection, DefaultPageCacheKib);
            }
            catch (SqliteException)
            {
                // A connection that cannot run a pragma is of no use to the pool either; closing it is all that is left.
            }
            connection.Dispose();
        }

        private static void SetPageCache(SqliteConnection connection, int kib)
        {
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA cache_size = -{kib}";
            pragma.ExecuteNonQuery();
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
