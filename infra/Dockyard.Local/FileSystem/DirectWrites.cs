using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Turns direct I/O (<c>O_DIRECT</c>) on and off for an open file, so that the large aligned writes of a blob go
/// from the copy's buffer to the disk without the page cache. On this project's VMs, copying a pushed blob into fresh
/// page-cache pages was a third to a half of the server's CPU per push, and the fsync before publishing then waited
/// for the whole blob; written directly, the bytes are on their way to the disk as they arrive and the fsync only
/// flushes the device's cache (it is still made: direct writes are not durable by themselves). Linux on x64 and Arm64
/// only; a file system that refuses it (the call fails) keeps buffered writes.
/// </summary>
internal static partial class DirectWrites
{
    /// <summary>What a direct write's memory address, file offset and length must be multiples of.</summary>
    public const int Alignment = 4096;

    private const int GetFlags = 3, SetFlags = 4;
    private static readonly int Flag = !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => 0,
    };

    /// <summary>Whether this platform has direct I/O at all (a file system may still refuse it).</summary>
    public static bool Supported => Flag != 0;

    /// <summary>Sets or clears direct I/O on <paramref name="file"/>; false when it could not be set (nothing changed).</summary>
    public static bool TrySet(SafeFileHandle file, bool direct)
    {
        if (Flag == 0)
        {
            return false;
        }
        var flags = Fcntl(file, GetFlags, 0);
        if (flags < 0)
        {
            return false;
        }
        var wanted = direct ? flags | Flag : flags & ~Flag;
        return wanted == flags || Fcntl(file, SetFlags, wanted) == 0;
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(SafeFileHandle fd, int command, int argument);
}
