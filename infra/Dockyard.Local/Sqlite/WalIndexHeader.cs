using System.IO.MemoryMappedFiles;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// The header of a WAL-mode SQLite file's wal-index, its <c>-shm</c> file, read from a read-only mapping of that file
/// (the layout SQLite's unix VFS uses between processes: https://sqlite.org/walformat.html, section 2.2): 48 bytes
/// holding the transaction counter, the last valid WAL frame and the WAL's salts, rewritten by every commit of every
/// process before the commit returns, and kept twice so that a reader can tell a header being rewritten. Reading it
/// takes no lock and no system call.
/// </summary>
/// <remarks>
/// The <c>-shm</c> file is replaced only by the last connection to close the database, after taking an exclusive lock
/// that an open WAL-mode connection's shared lock refuses: the caller keeps one connection open while it reads here.
/// </remarks>
internal sealed unsafe class WalIndexHeader : IDisposable
{
    // The one version of the wal-index format SQLite has had since 3.7.0 (WALINDEX_MAX_VERSION).
    private const uint FormatVersion = 3007000;
    private const int CopyBytes = 48;

    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly ulong* copies;

    private WalIndexHeader(MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        this.file = file;
        this.view = view;
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        copies = (ulong*)(start + view.PointerOffset);
    }

    /// <summary>Maps <paramref name="shmPath"/>; null when it is missing, too short, or not a wal-index this reader knows.</summary>
    public static WalIndexHeader? TryOpen(string shmPath)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return null;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(shmPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (stream.Length < 2 * CopyBytes)
        {
            stream.Dispose();
            return null;
        }
        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        var header = new WalIndexHeader(file, file.CreateViewAccessor(0, 2 * CopyBytes, MemoryMappedFileAccess.Read));
        if (header.TryRead(out _))
        {
            return header;
        }
        header.Dispose();
        return null;
    }

    /// <summary>
    /// The header now, when both copies agree and it is initialised; false while a commit is rewriting it (or when it
    /// is not a header of the known format): then nothing can be said about what changed.
    /// </summary>
    public bool TryRead(out WalIndexVersion version)
    {
        // A reference for the read, so that a Dispose meanwhile unmaps the view only after it.
        var handle = view.SafeMemoryMappedViewHandle;
        var referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced);
            // SQLite writes the second copy, then the first; reading the first, then the second, sees them differ while
            // a commit is between the two (walIndexTryHdr does the same).
            var first = Read(copies);
            Interlocked.MemoryBarrier();
            var second = Read(copies + CopyBytes / sizeof(ulong));
            version = first;
            return first == second && (uint)first.A == FormatVersion && (byte)(first.B >> 32) == 1;
        }
        catch (ObjectDisposedException)
        {
            version = default;
            return false;
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static WalIndexVersion Read(ulong* at) => new(at[0], at[1], at[2], at[3], at[4], at[5]);

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}

/// <summary>The 48 bytes of a wal-index header (<see cref="WalIndexHeader"/>): equal values, no commit in between.</summary>
internal readonly record struct WalIndexVersion(ulong A, ulong B, ulong C, ulong D, ulong E, ulong F);
