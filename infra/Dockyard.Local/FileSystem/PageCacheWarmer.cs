using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Reads a blob just published from directly written chunks (<see cref="DirectWrites"/>) back into the page cache on a
/// background task, off the request path, so that the first pull after a push is served from memory as it was when the
/// push wrote through the page cache. At most <see cref="MaxConcurrent"/> blobs are warmed at once (a publish that finds
/// them all busy does not wait and does not queue: its blob is read from the disk on its first pull, as before), and a
/// blob is not warmed when it would take more than <see cref="MaxShareOfAvailable"/> of the memory the kernel reports
/// available (<c>MemAvailable</c>), so warming never pushes other pages out under memory pressure.
/// </summary>
internal static class PageCacheWarmer
{
    internal const int MaxConcurrent = 2;
    internal const int MaxShareOfAvailable = 4; // a quarter of MemAvailable at most
    private static int running;

    /// <summary>
    /// Starts reading <paramref name="path"/> (<paramref name="length"/> bytes) into the page cache; null when it is
    /// skipped (no direct writes on this platform, too many warms running, too little memory available). The task never
    /// fails: a blob deleted or unreadable meanwhile is simply not warmed.
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
                Read(path);
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

    private static void Read(string path)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
        var chunk = AlignedChunks.Rent();
        try
        {
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(file, chunk.Span, offset)) > 0)
            {
                offset += read;
            }
        }
        finally
        {
            AlignedChunks.Return(chunk);
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
}
