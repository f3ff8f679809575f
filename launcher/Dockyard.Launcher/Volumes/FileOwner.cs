using System.Runtime.InteropServices;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A file's numeric owner and group, which .NET does not expose: read with Linux's <c>statx</c> (its struct layout is the
/// same on every architecture, unlike <c>stat</c>'s) and set with <c>lchown</c>. Links are never followed.
/// </summary>
internal static partial class FileOwner
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int UidOffset = 20;
    private const int GidOffset = 24;

    /// <summary>The owner of <paramref name="path"/>; null off Linux or when it cannot be read (the index then stores none).</summary>
    public static (int Uid, int Gid)? Read(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var buffer = new byte[256];
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid | StatxGid, buffer) == 0
            ? (BitConverter.ToInt32(buffer, UidOffset), BitConverter.ToInt32(buffer, GidOffset))
            : null;
    }

    /// <summary>
    /// Gives <paramref name="path"/> its stored owner. Only root may give files away, so an unprivileged launcher leaves
    /// them owned by itself, as <c>tar</c> does when extracting as a user.
    /// </summary>
    /// <exception cref="LaunchException">A privileged lchown failed.</exception>
    public static void Set(string path, int uid, int gid)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return;
        }
        if (Lchown(path, uid, gid) != 0)
        {
            throw new LaunchException(LaunchFailure.Usage, $"cannot give {path} to {uid}:{gid} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Lchown(string path, int uid, int gid);
}
