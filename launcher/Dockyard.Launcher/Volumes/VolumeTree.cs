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

    /// <summary>
    /// Checks an index's entries before any of them touches the disk: every path is safe (<see cref="Locate"/>), named
    /// once, and lies directly in the root or in a folder an earlier entry made. So no entry is placed through a
    /// symbolic link of the index (a link to <c>/etc</c>, then <c>link/cron.d/job</c>) or lands on one (a link, then a
    /// folder of the same name, whose mode and time would be set on the link's target).
    /// </summary>
    /// <exception cref="LaunchException">An entry breaks one of these rules.</exception>
    public static void CheckPlacement(IEnumerable<VolumeEntry> entries)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _ = Locate("/", entry.Path);
            var slash = entry.Path.LastIndexOf('/');
            if (!named.Add(entry.Path) || slash > 0 && !folders.Contains(entry.Path[..slash]))
            {
                throw new LaunchException(LaunchFailure.Registry,
                    $"the volume index places '{entry.Path}' twice or outside a folder it made (through a link or a file)");
            }
            if (entry.Type == VolumeEntry.Folder)
            {
                folders.Add(entry.Path);
            }
        }
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
