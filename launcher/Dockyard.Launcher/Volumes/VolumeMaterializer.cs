
namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Writes a version into a folder: empties it, then creates folders, links and files in index order, each file from
/// its chunks fetched in parallel (runs of a pack by range requests) (<see cref="ChunkDownloads"/>) and checked against their digests, and finally sets owners (when run as root), modes and
/// modification times (so that the next snapshot recognises untouched files by size and time). An encrypted
/// version's index was opened before this is called, so a wrong or missing key leaves the folder untouched, and an
/// index placing anything outside the folder (<see cref="VolumeTree.CheckPlacement"/>) is refused before it is emptied.
/// </summary>
internal static class VolumeMaterializer
{
    public static async Task<long> RestoreAsync(VolumeRegistry registry, VolumeVersion version, string root, CancellationToken cancellationToken)
    {
        VolumeTree.CheckPlacement(version.Index.Entries);
        Directory.CreateDirectory(root);
        Empty(root);
        var cipher = version.Cipher;
        long written = 0;
        foreach (var entry in version.Index.Entries)
        {
            var path = VolumeTree.Locate(root, entry.Path);
            switch (entry.Type)
            {
                case VolumeEntry.Folder:
                    Directory.CreateDirectory(path);
                    break;
                case VolumeEntry.Symlink:
                    File.CreateSymbolicLink(path, entry.Target ?? "");
                    break;
                case VolumeEntry.File:
                    written += await WriteFileAsync(registry, version.Index, path, entry, cipher, cancellationToken);
                    break;
                default:
                    throw new LaunchException(LaunchFailure.Registry, $"the volume index has an entry of unknown type '{entry.Type}' at {entry.Path}");
            }
        }
        // Deepest first, so that writing into a folder does not move its time after it was set.
        foreach (var entry in version.Index.Entries.Reverse())
        {
            var path = VolumeTree.Locate(root, entry.Path);
            if (entry.Uid is { } uid && entry.Gid is { } gid)
            {
                // Before the mode: chown clears set-user-ID and set-group-ID bits.
                FileOwner.Set(path, uid, gid);
            }
            if (entry.Type == VolumeEntry.Symlink)
            {
                continue;
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)entry.Mode);
            }
            var time = DateTimeOffset.FromUnixTimeMilliseconds(entry.ModifiedMs).UtcDateTime;
            if (entry.Type == VolumeEntry.Folder)
            {
                Directory.SetLastWriteTimeUtc(path, time);
            }
            else
            {
                File.SetLastWriteTimeUtc(path, time);
            }
        }
        return written;
    }

    private static async Task<long> WriteFileAsync(VolumeRegistry registry, VolumeIndex index, string path, VolumeEntry entry, ChunkCipher? cipher, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await ChunkDownloads.WriteAsync(registry, index, entry, cipher, output, cancellationToken);
        return output.Length == entry.Size ? output.Length
            : throw new LaunchException(LaunchFailure.Registry, $"{entry.Path} came out {output.Length} bytes long, not {entry.Size}");
    }

    private static void Empty(string root)
    {
        foreach (var child in new DirectoryInfo(root).EnumerateFileSystemInfos())
        {
            if (child is DirectoryInfo folder && child.LinkTarget is null)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                child.Delete();
            }
        }
    }
}
