using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Connections kept open for reads, each keeping its prepared statements (<see cref="SqliteSession"/>): parsing and
/// planning every query again was about a fifth of the CPU of a manifest GET (<c>perf</c>: sqlite3RunParser, the
/// where-planner). A handful of sessions suffice: a
/// query runs synchronously inside the driver, so no more run at once than there are threads running.
/// </summary>
internal sealed class SqliteReadSessions(Func<CancellationToken, Task<SqliteConnection>> open) : IDisposable
{
    private static readonly int Keep = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly ConcurrentQueue<SqliteSession> idle = new();
    private int idleCount;
    private volatile bool disposed;

    public async ValueTask<SqliteSession> RentAsync(CancellationToken cancellationToken)
    {
        if (idle.TryDequeue(out var session))
        {
            Interlocked.Decrement(ref idleCount);
            return session;
        }
        return new SqliteSession(await open(cancellationToken));
    }

    /// <summary>Takes back a session whose last query completed; one that failed is disposed by its caller instead.</summary>
    public void Return(SqliteSession session)
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
}
