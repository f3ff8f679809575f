namespace Dockyard.Local.Tests.Sqlite;

internal static class SqliteFileHandles
{
    /// <summary>This process's file descriptors open on the database file itself (not its -wal or -shm).</summary>
    public static int Count(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && target == Path.GetFullPath(path));
}
