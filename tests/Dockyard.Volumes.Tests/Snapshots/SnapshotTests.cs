using Dockyard.Launcher;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Chunks;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>Snapshots and restores against a real Dockyard: round trips, incremental uploads, older versions, fencing.</summary>
public sealed class SnapshotTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-volume-").FullName;
    private RegistryServer? server;

    private RegistryServer Server => server!;

    public async Task InitializeAsync() => server = await RegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_folder_comes_back_with_its_files_links_modes_and_times()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "source")).FullName;
        Directory.CreateDirectory(Path.Combine(source, "sub", "empty"));
        await File.WriteAllTextAsync(Path.Combine(source, "sub", "hello.txt"), "hello");
        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), ContentChunkerTests.RandomBytes(3 << 20, seed: 5));
        await File.WriteAllBytesAsync(Path.Combine(source, "empty.bin"), []);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(source, "sub", "hello.txt"), (UnixFileMode)0b111_100_000);
        }
        File.CreateSymbolicLink(Path.Combine(source, "link"), "sub/hello.txt");
        using var connection = VolumeConnection.Open(Server.BaseAddress.ToString(), "team/roundtrip");

        var pushed = await VolumeOperations.PushAsync(connection, source, Ct);
        var target = Path.Combine(folder, "target");
        await VolumeMaterializer.RestoreAsync(connection.Registry, await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct), target, Ct);

        Assert.True(pushed.Committed);
        Assert.Equal(1, pushed.Version!.Number);
        Assert.Equal(Describe(source), Describe(target));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(target, "link")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source, "big.bin")), await File.ReadAllBytesAsync(Path.Combine(target, "big.bin")));
        var again = await VolumeOperations.PushAsync(connection, target, Ct);
        Assert.False(again.Committed);
        Assert.Equal(0, again.UploadedBytes);
    }

    [Fact]
    public async Task Changing_one_percent_of_a_large_file_uploads_a_few_percent_and_older_versions_restore()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "large")).FullName;
        var file = Path.Combine(source, "data.bin");
        var original = ContentChunkerTests.RandomBytes(64 << 20, seed: 7);
        await File.WriteAllBytesAsync(file, original);
        using var connection = VolumeConnection.Open(Server.BaseAddress.ToString(), "team/large");
        var first = await VolumeOperations.PushAsync(connection, source, Ct);
        Assert.InRange(first.UploadedBytes, original.Length, original.Length + (1 << 20));

        var edit = ContentChunkerTests.RandomBytes(original.Length / 100, seed: 8);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 30 << 20;
            await stream.WriteAsync(edit);
        }
        var second = await VolumeOperations.PushAsync(connection, source, Ct);

        Assert.Equal(2, second.Version!.Number);
        var share = (double)second.UploadedBytes / original.Length;
        Console.WriteLine($"1 % change of {original.Length} bytes: uploaded {second.UploadedBytes} bytes ({share:P2}) in {second.UploadedBlobs} blobs");
        Assert.InRange(share, 0.01, 0.03);

        var restored = await VolumeOperations.RestoreAsync(connection, "1", Ct);
        Assert.Equal(3, restored.Number);
        var target = Path.Combine(folder, "restored");
        await VolumeMaterializer.RestoreAsync(connection.Registry, await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct), target, Ct);
        Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(target, "data.bin")));
        Assert.Equal([1, 2, 3], await VolumeVersions.NumbersAsync(connection.Registry, Ct));
    }

    [Fact]
    public async Task A_commit_with_a_lost_lease_is_refused()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "fenced")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "f"), "one");
        using var connection = VolumeConnection.Open(Server.BaseAddress.ToString(), "team/fenced");
        var stale = await connection.Leases.AcquireAsync("host-a", TimeSpan.FromSeconds(30), Ct);
        await connection.Leases.ReleaseAsync(stale, Ct);
        var current = await connection.Leases.AcquireAsync("host-b", TimeSpan.FromSeconds(30), Ct);
        Assert.True(current.Token > stale.Token);

        var refused = await Assert.ThrowsAsync<LaunchException>(() => VolumeSnapshotter.SnapshotAsync(connection.Registry, source, stale, Ct));
        Assert.Contains("stale", refused.Message);
        Assert.Null(await VolumeVersions.ReadAsync(connection.Registry, "latest", Ct));
        var busy = await Assert.ThrowsAsync<LaunchException>(() => VolumeOperations.PushAsync(connection, source, Ct));
        Assert.Contains("mounted read-write by host-b", busy.Message);

        var committed = await VolumeSnapshotter.SnapshotAsync(connection.Registry, source, current, Ct);
        Assert.True(committed.Committed);
    }

    private static List<string> Describe(string root) =>
        VolumeTree.Walk(root).Select(e => VolumeTree.Describe(e.Path, e.Info)).Select(e => $"{e.Type} {e.Path} {e.Mode} {e.Size} {e.ModifiedMs} {e.Target}").ToList();
}
