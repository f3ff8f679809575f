using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.Tests.FileSystem;

/// <summary>What share of a file the kernel holds in its page cache (mincore), and dropping it (fadvise DONTNEED). Linux only.</summary>
internal static unsafe partial class PageCache
{
    private const int ProtRead = 1, MapShared = 1, FadviseDontNeed = 4;

    /// <summary>The share (0 to 1) of <paramref name="path"/>'s pages in the page cache.</summary>
    public static double ResidentShare(string path)
    {
        using var file = File.OpenHandle(path);
        var length = RandomAccess.GetLength(file);
        var address = Mmap(null, (nuint)length, ProtRead, MapShared, file, 0);
        Assert.NotEqual(-1, (nint)address);
        try
        {
            var pages = (int)((length + Environment.SystemPageSize - 1) / Environment.SystemPageSize);
            var vector = new byte[pages];
            fixed (byte* v = vector)
            {
                Assert.Equal(0, Mincore(address, (nuint)length, v));
            }
            return vector.Count(b => (b & 1) != 0) / (double)pages;
        }
        finally
        {
            Munmap(address, (nuint)length);
        }
    }

    /// <summary>Asks the kernel to drop <paramref name="path"/>'s clean pages; false when some stay (tmpfs keeps them: they are its storage).</summary>
    public static bool TryDrop(string path)
    {
        using (var file = File.OpenHandle(path))
        {
            Assert.Equal(0, Fadvise(file, 0, 0, FadviseDontNeed));
        }
        return ResidentShare(path) == 0;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, SafeFileHandle file, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static partial int Mincore(void* address, nuint length, byte* vector);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(SafeFileHandle file, long offset, long length, int advice);
}
