namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A volume's folder as index entries: walked in ordinal path order without following symbolic links; sockets, pipes
/// and devices are left out. Paths from an index are checked before they touch the disk.
/// </summary>
internal static class VolumeTree
{
    private const UnixFileMode Permissions = (UnixFileMode)0xFFF;

    /// <summary>Every folder, file and symbolic link under <paramref name="root"/> with its '/'-separated relative path.</summary>
    public static IEnumerable<(string Path, FileSystemInfo Info)> Walk(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<(string Relative, DirectoryInfo Folder)>();
        pending.Push(("", new DirectoryInfo(root)));
        while (pending.Count > 0)
        {
            var (relative, folder) = pending.Pop();
            var children = folder.EnumerateFileSystemInfos("*", options).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            var subfolders = new List<(string, DirectoryInfo)>();
            foreach (var child in children)
            {
                var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                if (child.LinkTarget is null && child is DirectoryInfo directory)
                {
                    yield return (path, child);
                    subfolders.Add((path, directory));
                }
                else if (child.LinkTarget is not null || child is FileInfo && IsRegular(child))
                {
                    yield return (path, child);
                }
            }
            for (var i = subfolders.Count - 1; i >= 0; i--)
            {
                pending.Push(subfolders[i]);
            }
        }
    }

    /// <summary>The entry of <paramref name="info"/>; a file's chunks are left for the caller.</summary>
    public static VolumeEntry Describe(string path, FileSystemInfo info)
    {
        var owner = FileOwner.Read(info.FullName);
        if (info.LinkTarget is { } target)
        {
            // A link's own mode and time are not portable (and .NET reads the target's): a link is its target.
            return new VolumeEntry(path, VolumeEntry.Symlink, 0b111_111_111, 0, 0, target, null, owner?.Uid, owner?.Gid);
        }
        var mode = OperatingSystem.IsWindows() ? 0 : (int)(info.UnixFileMode & Permissions);
        var modified = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds();
        return info is FileInfo file ? new VolumeEntry(path, VolumeEntry.File, mode, file.Length, modified, null, null, owner?.Uid, owner?.Gid)
            : new VolumeEntry(path, VolumeEntry.Folder, mode, 0, modified, null, null, owner?.Uid, owner?.Gid);
    }

    /// <summary>Where <paramref name="path"/> (from an index) lives under <paramref name="root"/>.</summary>
    /// <exception cref="LaunchException">The path is absolute, empty or climbs out with '..'.</exception>
    public static string Locate(string root, string path)
    {
        var parts = path.Split('/');
        if (path.Length == 0 || path.StartsWith('/') || parts.Any(p => p is "" or "." or ".." || p.Contains('\0', StringComparison.Ordinal)))
        {
            throw new LaunchException(LaunchFailure.Registry, $"the volume index names an unsafe path '{path}'");
        }
        return Path.Combine([root, .. parts]);
    }

    private static bool IsRegular(FileSystemInfo info) => (info.Attributes & FileAttributes.Device) == 0;
}
