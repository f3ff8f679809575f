using Dockyard.Core.Metadata.PullCache;
using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Repository stamps for a store in one SQLite file: one stamp for every repository, the file's wal-index header
/// (<see cref="WalIndexHeader"/>), which every commit of every process using the file changes before the commit
/// returns: this server's writers, the <c>dockyard</c> CLI's local commands, any other SQLite client. Reading it costs
/// no query, no lock and no system call, so a listing can be served from memory when nothing was committed since it
/// was read, and from the file otherwise.
/// </summary>
/// <remarks>
/// Coarser than it need be (any commit, to any table, makes every repository's stamp new) but exact, which is what
/// <see cref="IRepositoryStamps"/> asks. A commit is visible to readers exactly when the header says so, so there is no
/// window to mark: <see cref="BeginWriteAsync"/> and <see cref="EndWriteAsync"/> do nothing. When the header cannot
/// be read (not WAL mode, another wal-index format, a commit rewriting it right now) the stamp is null and callers
/// read the file.
/// </remarks>
internal sealed class SqliteRepositoryStamps(SqliteDatabase db) : IRepositoryStamps, IDisposable
{
    private readonly Lock opening = new();
    private Task<Pinned?>? pinned;
    private volatile Stamp? last;
    private volatile bool disposed;

    public ValueTask<string?> CurrentAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var open = pinned;
        if (open is { IsCompletedSuccessfully: true })
        {
            return ValueTask.FromResult(Read(open.Result));
        }
        return ReadWhenOpenAsync(open);
    }

    public Task BeginWriteAsync(RepositoryName repository, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EndWriteAsync(RepositoryName repository) => Task.CompletedTask;

    public void Dispose()
    {
        lock (opening)
        {
            disposed = true;
            if (pinned is { IsCompletedSuccessfully: true, Result: { } open })
            {
                open.Dispose();
            }
        }
    }

    private async ValueTask<string?> ReadWhenOpenAsync(Task<Pinned?>? open)
    {
        if (open is null)
        {
            lock (opening)
            {
                open = pinned ??= disposed ? Task.FromResult<Pinned?>(null) : PinAsync();
            }
        }
        try
        {
            return Read(await open);
        }
        catch (Exception e) when (e is SqliteException or Core.Errors.StorageUnavailableException)
        {
            // Not now (the schema is still being made, the file is busy): the next call tries again.
            lock (opening)
            {
                if (ReferenceEquals(pinned, open))
                {
                    pinned = null;
                }
            }
            return null;
        }
    }

    private string? Read(Pinned? open)
    {
        if (open is null || disposed || !open.Header.TryRead(out var version))
        {
            return null;
        }
        var seen = last;
        if (seen is not null && seen.Version == version)
        {
            return seen.Text;
        }
        seen = new Stamp(version, $"{version.A:x16}{version.B:x16}{version.C:x16}{version.D:x16}{version.E:x16}{version.F:x16}");
        last = seen;
        return seen.Text;
    }

    // A connection held open for as long as the header is read (see WalIndexHeader's remarks), after one read so that
    // the file is in WAL mode and its -shm file exists; null when the file is not in WAL mode or the header unknown.
    private async Task<Pinned?> PinAsync()
    {
        var connection = await db.OpenAsync(CancellationToken.None);
        try
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode";
                if (!string.Equals(await command.ExecuteScalarAsync() as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    connection.Dispose();
                    return null;
                }
                command.CommandText = "SELECT count(*) FROM sqlite_schema";
                await command.ExecuteScalarAsync();
            }
            var header = WalIndexHeader.TryOpen(connection.DataSource + "-shm");
            if (header is null)
            {
                connection.Dispose();
                return null;
            }
            var open = new Pinned(connection, header);
            lock (opening)
            {
                if (!disposed)
                {
                    return open;
                }
            }
            open.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed record Stamp(WalIndexVersion Version, string Text);

    private sealed class Pinned(SqliteConnection connection, WalIndexHeader header) : IDisposable
    {
        public WalIndexHeader Header => header;

        public void Dispose()
        {
            header.Dispose();
            connection.Dispose();
        }
    }
}
