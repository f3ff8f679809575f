using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Chunks;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// <c>docker volume create -d dockyard --opt version=V</c> on a real dockerd: a read-only volume always mounts V; a
/// read-write one mounts V, and its unmount stores the folder as a new version on top of the latest (a
/// restore-and-edit: the versions in between stay, the unchanged file keeps its chunks), after which it follows the
/// latest; a version that does not exist is refused by <c>docker volume create</c>.
/// </summary>
public sealed class VersionMountTests
{
    private const string Repository = "team/versions";
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_chosen_version_mounts_read_only_and_a_read_write_mount_of_it_is_stored_on_top_of_the_latest()
    {
        if (await DockerCli.FindAsync() is not { } docker)
        {
            return;
        }
        await using var server = await RegistryServer.StartAsync();
        var (v1, v2) = await VersionFixture.PushTwoAsync(server, Repository);
        await using var host = await PluginHost.StartAsync(server.BaseAddress);
        var (pinned, edit, missing) = (host.Driver + "-v1", host.Driver + "-edit", host.Driver + "-v9");
        DockerResult? refused = null;
        try
        {
            (await docker.RunAsync("volume", "create", "-d", host.Driver, "--opt", "repo=" + Repository, "--opt", "version=v1", "--opt", "mode=ro", pinned)).Ensure();
            (await docker.RunAsync("volume", "create", "-d", host.Driver, "--opt", "repo=" + Repository, "--opt", "version=" + v1.Digest, edit)).Ensure();
            refused = await docker.RunAsync("volume", "create", "-d", host.Driver, "--opt", "repo=" + Repository, "--opt", "version=v9", missing);

            var readPinned = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", pinned + ":/data", DockerCli.Image, "cat", "/data/f")).Ensure();
            var edited = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", edit + ":/data", DockerCli.Image,
                "sh", "-c", "cat /data/f; echo edited >> /data/f")).Ensure();
            var followsLatest = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", edit + ":/data", DockerCli.Image, "cat", "/data/f")).Ensure();
            var stillPinned = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", pinned + ":/data", DockerCli.Image, "cat", "/data/f")).Ensure();

            Assert.Equal("one\n", readPinned.Output);
            Assert.Equal("one\n", edited.Output);
            Assert.Equal("one\nedited\n", followsLatest.Output);
            Assert.Equal("one\n", stillPinned.Output);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("has no version v9", refused.Error);
            Assert.Contains("\"version\": \"v1\"", (await docker.RunAsync("volume", "inspect", pinned)).Ensure().Output);
            using var connection = VolumeConnection.Open(server.BaseAddress.ToString(), Repository);
            Assert.Equal([1, 2, 3], await VolumeVersions.NumbersAsync(connection.Registry, Ct));
            var latest = await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct);
            Assert.Equal(3, latest.Number);
            Assert.Equal(v2.Digest, (await VolumeOperations.RequiredAsync(connection.Registry, "v2", Ct)).Digest);
            Assert.Equal(VersionFixture.Chunks(v1, "keep.bin"), VersionFixture.Chunks(latest, "keep.bin"));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Client.GetAsync($"/extensions/v2/{Repository}/volume/lease")).StatusCode);
        }
        finally
        {
            await docker.RunAsync("volume", "rm", pinned);
            await docker.RunAsync("volume", "rm", edit);
            // Only if it was made: dockerd asks every plugin on the machine about a volume it does not know, 15 s for each stale one.
            if (refused?.ExitCode == 0)
            {
                await docker.RunAsync("volume", "rm", missing);
            }
        }
    }
}

/// <summary>A volume with two versions: v1 has f = "one", v2 f = "two"; keep.bin (3 MiB, several chunks) is the same in both.</summary>
internal static class VersionFixture
{
    public static async Task<(VolumeVersion V1, VolumeVersion V2)> PushTwoAsync(RegistryServer server, string repository)
    {
        var folder = Directory.CreateTempSubdirectory("dockyard-volume-versions-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "f"), "one\n");
            await File.WriteAllBytesAsync(Path.Combine(folder, "keep.bin"), ContentChunkerTests.RandomBytes(3 << 20, seed: 31));
            using var connection = VolumeConnection.Open(server.BaseAddress.ToString(), repository);
            var first = await VolumeOperations.PushAsync(connection, folder, CancellationToken.None);
            await File.WriteAllTextAsync(Path.Combine(folder, "f"), "two\n");
            var second = await VolumeOperations.PushAsync(connection, folder, CancellationToken.None);
            return (first.Version!, second.Version!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string[] Chunks(VolumeVersion version, string path) =>
        version.Index.Entries.Single(e => e.Path == path).Chunks!.Select(c => c.Digest).ToArray();

    /// <summary>The repository's tags, sorted.</summary>
    public static async Task<string[]> TagsAsync(RegistryServer server, string repository) =>
        (await server.Client.GetFromJsonAsync<JsonElement>($"/v2/{repository}/tags/list")).GetProperty("tags").EnumerateArray()
            .Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToArray();
}
