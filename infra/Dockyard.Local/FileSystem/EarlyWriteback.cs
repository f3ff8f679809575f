using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Starts writing a file's bytes to disk while the rest of it still arrives, so that the fsync that makes a blob
/// durable before it is published waits only for the last few MiB instead of the whole blob. Linux only
/// (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>: starts the write-out of dirty pages, waits for none of them);
/// elsewhere, or if the call fails, nothing happens and the fsync does all the work, as before. It never replaces
/// that fsync: it promises nothing about what is on disk.
/// </summary>
internal sealed partial class EarlyWriteback(SafeFileHandle file, long start)
{
    /// <summary>Bytes written since the last start of a write-out before the next one is started.</summary>
    public const long Step = 8L << 20;

    private const uint SyncFileRangeWrite = 2;
    private static readonly bool Supported = OperatingSystem.IsLinux();

    private long from = start;

    /// <summary>
    /// Called after the bytes up to <paramref name="end"/> were written (in order, one call at a time): starts the
    /// write-out of what was written since the last call that did, once that is <see cref="Step"/> or more.
    /// </summary>
    public void Written(long end)
    {
        if (!Supported || end - from < Step)
        {
            return;
        }
        // The result does not matter: a file system without the call, or a failed start, leaves the work to fsync.
        _ = SyncFileRange(file, from, end - from, SyncFileRangeWrite);
        from = end;
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
