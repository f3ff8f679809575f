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

    /// <summary>
    /// Each kept connection's page cache, KiB. A pull by tag walks two B-trees (see ManifestBytes), whose interior pages
    /// are about 5 MiB at a million manifests (758 of tags, 505 of manifest_bytes); every pull also brings two leaf
    /// pages in, which push the least recently used pages out. SQLite's default 2 MiB could not keep even the interior
    /// pages, so most pulls read four or five pages from the OS; 16 MiB keeps nearly all of them between their uses,
    /// so a pull reads about two (its leaves). Only pages read are cached: a small registry's connections stay small.
    /// </summary>
    internal const int CacheKiB = 16 * 1024;

    // SQLite's default page cache (SQLITE_DEFAULT_CACHE_SIZE), which a connection handed back to the pool returns to.
    private const int DefaultCacheKiB = 2000;

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
        var connection = await open(cancellationToken);
        Session.SetCache(connection, CacheKiB);
        return new Session(connection);
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
            try
            {
                SetCache(connection, DefaultCacheKiB);
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                // A connection that failed or closed: the pool does not keep it.
            }
            connection.Dispose();
        }

        // A pragma of the connection alone, immediate (it neither reads nor writes the file).
        internal static void SetCache(SqliteConnection connection, int kib)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA cache_size = -{kib}";
            command.ExecuteNonQuery();
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
