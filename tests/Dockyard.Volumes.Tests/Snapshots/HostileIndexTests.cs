using Dockyard.Core.Names;
using Dockyard.Launcher;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>
/// A volume index is written by whoever may push to the volume's repository (or by a registry that lies), and the
/// launcher restoring it may run as root (the Docker volume plugin): an entry placed through a symbolic link the index
/// itself made, or a path named twice so that a folder lands on a link, would write, chmod and chown outside the
/// folder. Such an index is refused before the folder is touched, and nothing appears outside it.
/// </summary>
public sealed class HostileIndexTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-volume-hostile-").FullName;
    private RegistryServer? server;

    public async Task InitializeAsync() => server = await RegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await server!.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    public static TheoryData<string> Indexes() => ["file-through-link", "folder-through-link", "folder-over-link", "file-in-file"];

    [Theory]
    [MemberData(nameof(Indexes))]
    public async Task An_index_that_reaches_outside_the_folder_is_refused_before_anything_is_written(string kind)
    {
        var outside = Directory.CreateDirectory(Path.Combine(folder, "outside")).FullName;
        var target = Directory.CreateDirectory(Path.Combine(folder, "volume")).FullName;
        await System.IO.File.WriteAllTextAsync(Path.Combine(target, "kept.txt"), "the folder's own data");
        var mode = new DirectoryInfo(outside).UnixFileMode;
        const int Open = 0b111_111_111;
        VolumeEntry[] entries = kind switch
        {
            "file-through-link" => [Link("escape", outside), File("escape/planted")],
            "folder-through-link" => [Link("escape", outside), Folder("escape/planted", Open)],
            "folder-over-link" => [Link("escape", outside), Folder("escape", Open)],
            _ => [File("plain"), File("plain/planted")],
        };
        var version = new VolumeVersion(1, Digest.Compute([1]), Digest.Compute([2]), new VolumeIndex(entries), [], null);
        using var connection = VolumeConnection.Open(server!.BaseAddress.ToString(), "team/hostile");

        var refused = await Assert.ThrowsAsync<LaunchException>(() => VolumeMaterializer.RestoreAsync(connection.Registry, version, target, Ct));

        Assert.Equal(LaunchFailure.Registry, refused.Failure);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal(mode, new DirectoryInfo(outside).UnixFileMode);
        Assert.Equal("the folder's own data", await System.IO.File.ReadAllTextAsync(Path.Combine(target, "kept.txt")));
    }

    private static VolumeEntry Link(string path, string target) => new(path, VolumeEntry.Symlink, 0b111_111_111, 0, 0, target, null);

    private static VolumeEntry Folder(string path, int mode) => new(path, VolumeEntry.Folder, mode, 0, 0, null, null);

    private static VolumeEntry File(string path) => new(path, VolumeEntry.File, 0b110_100_100, 0, 0, null, []);
}
