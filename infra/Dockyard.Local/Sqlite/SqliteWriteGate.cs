using Dockyard.Core.Errors;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Lets one write transaction of this process at a time reach the SQLite file; the others wait here, without a thread.
/// </summary>
/// <remarks>
/// SQLite has one writer per file. A second connection's <c>BEGIN IMMEDIATE</c> fails with SQLITE_BUSY, and
/// Microsoft.Data.Sqlite then blocks its thread for 150 ms before it tries again (no native busy handler): with four
/// layers pushed at once, a few such sleeps per image were most of a parallel push's time. Queued here, a writer starts
/// as soon as the previous one commits. Writers of other processes (the admin CLI on the same file) still meet the
/// driver's retry. The wait is bounded by the same busy timeout as SQLite's lock.
/// </remarks>
internal sealed class SqliteWriteGate(TimeSpan busyTimeout)
{
    // Never disposed: only its AvailableWaitHandle (never asked for) would need it, and a write still finishing while
    // the host stops must be able to release it.
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the turn of this process's next writer; dispose the result to pass the turn on.</summary>
    /// <exception cref="StorageUnavailableException">Another writer of this process held the file past the busy timeout.</exception>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(busyTimeout, cancellationToken))
        {
            throw new StorageUnavailableException(
                $"the SQLite metadata file is unavailable: another write held it for more than the busy timeout ({busyTimeout.TotalSeconds:0} s)",
                backend: "sqlite");
        }
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
