using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Asks the kernel to read a blob just published from directly written chunks (<see cref="DirectWrites"/>) back into the
/// page cache, so that the first pull after a push is served from memory as it was when the push wrote through the page
/// cache. The kernel reads ahead (<c>posix_fadvise(POSIX_FADV_WILLNEED)</c>, in steps of <see cref="Step"/>) and the
/// disk fills the pages: nothing is copied to user space and no thread waits for the reads. At most
/// <see cref="MaxConcurrent"/> blobs are submitted at once (a publish that finds them all busy does not wait and does
/// not queue: its blob is read from the disk on its first pull, as before), and a blob is not warmed when it would take
/// more than <see cref="MaxShareOfAvailable"/> of the memory the kernel reports available (<c>MemAvailable</c>), so
/// warming never pushes other pages out under memory pressure.
/// </summary>
internal static partial class PageCacheWarmer
{
    internal const int MaxConcurrent = 2;
    internal const int MaxShareOfAvailable = 4; // a quarter of MemAvailable at most

    /// <summary>
    /// The range of one advice: the kernel reads at most its read-ahead window per call (<c>read_ahead_kb</c>, 128 KiB
    /// by default, or the device's larger I/O size), and ignores the rest of a longer range.
    /// </summary>
    internal const int Step = 128 * 1024;

    private const int WillNeed = 3;
    private static int running;

    /// <summary>
    /// Starts the kernel reading <paramref name="path"/> (<paramref name="length"/> bytes) into the page cache; null when it
    /// is skipped (not Linux, too many warms being submitted, too little memory available). The task completes once the
    /// reads are submitted, not when the pages are filled, and never fails: a blob deleted or unreadable meanwhile is
    /// simply not warmed.
    /// </summary>
    public static Task? TryStart(string path, long length)
    {
        if (length < AlignedChunks.Size || !DirectWrites.Supported || length > AvailableBytes() / MaxShareOfAvailable)
        {
            return null;
        }
        if (Interlocked.Increment(ref running) > MaxConcurrent)
        {
            Interlocked.Decrement(ref running);
            return null;
        }
        return Task.Run(() =>
        {
            try
            {
                Advise(path, length);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Deleted (garbage collection) or unreadable: its first pull reads the disk, as without warming.
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
    }

    // A call blocks only while the device's request queue is full, so submitting a large blob is paced by the disk.
    private static void Advise(string path, long length)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        for (long offset = 0; offset < length; offset += Step)
        {
            if (Fadvise(file, offset, Step, WillNeed) != 0)
            {
                return; // advice refused (EBADF, ESPIPE, EINVAL): nothing to warm
            }
        }
    }

    /// <summary>MemAvailable from /proc/meminfo, in bytes; 0 (warm nothing) when it cannot be read.</summary>
    internal static long AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(fields[1], out var kib) ? kib * 1024 : 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: no warming.
        }
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(SafeFileHandle file, long offset, long length, int advice);
}
