using System.Runtime.InteropServices;

namespace Dockyard.Ceph.Native;

/// <summary>
/// glibc's malloc, which librados allocates from. <c>rados_write_full</c> copies each chunk it is given (4 MiB by
/// default) into a buffer of its own on the calling thread, freed when the OSD answers. glibc serves such sizes by mmap
/// at first, but the first free raises its mmap threshold to the size freed (up to 32 MiB), and from then on the copies
/// come from the arenas of the thread-pool threads that write chunks, which keep what is freed: about 30 MiB resident
/// after a 1 GiB push, never given back. Fixing the threshold at glibc's default keeps every copy an mmap that the free
/// returns. Measured on a 1 GiB push (environment variables, process start): peak RSS 140 → 111 MiB, at about 1 CPU-s
/// more per GiB (each chunk a fresh zero-filled mapping); one arena (MALLOC_ARENA_MAX=1) gave 114 MiB at no cost from
/// process start, but set here, after the runtime's threads have their arenas, only 134 MiB.
/// </summary>
internal static partial class NativeHeap
{
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD in malloc.h

    private const int DefaultMmapThreshold = 128 * 1024;

    /// <summary>Fixes the mmap threshold (for every thread); does nothing on a C library without glibc's <c>mallopt</c> (musl: no such file).</summary>
    public static void FixMmapThreshold()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            MallOpt(MmapThresholdOption, DefaultMmapThreshold);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator has no dynamic threshold to fix.
        }
    }

    /// <summary>The free bytes glibc's arenas hold (mallinfo2's fordblks); null when the C library is not glibc 2.33+.</summary>
    public static long? FreeBytesHeld()
    {
        try
        {
            return OperatingSystem.IsLinux() ? (long)MallInfo2().FreeBytes : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallOpt(int option, int value);

    [LibraryImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static partial MallInfo MallInfo2();

    /// <summary>struct mallinfo2: ten size_t counters, summed over every arena.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo
    {
        public readonly nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, MaxUsed, FastFreeBytes, UsedBytes, FreeBytes, TopReleasable;
    }
}
