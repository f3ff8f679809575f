using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Launcher;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Plugin;

namespace Dockyard.Volumes.Tests.Cli;

/// <summary>
/// <c>launcher run -v dockyard:REPO@VERSION:/DEST[:ro]</c>: how the option is read, and the run's mounts (what
/// <c>run</c> does before and after the container) against a real Dockyard: a chosen version is materialised, a
/// read-write one is stored on top of the latest under the run's lease when it was changed (another holder is refused
/// meanwhile; a lease lost before the commit stores nothing; an unchanged one stores nothing), and a version that does
/// not exist stops the run with no lease left behind.
/// </summary>
public sealed class RunVolumeVersionTests
{
    private const string Repository = "team/runversions";
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public void The_version_follows_an_at_sign_as_a_tag_number_or_digest()
    {
        const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        Assert.Equal(new RunVolume("team/data", "/data", false, "v2"), RunVolume.TryParse("dockyard:team/data@v2:/data"));
        Assert.Equal(new RunVolume("team/data", "/srv/d", true, digest), RunVolume.TryParse($"dockyard:team/data@{digest}:/srv/d:ro"));
        Assert.Equal(new RunVolume("team/data", "/data", false, "3"), RunVolume.TryParse("dockyard:team/data@3:/data:rw"));
        Assert.Equal(new RunVolume("team/data", "/data", true), RunVolume.TryParse("dockyard:team/data:/data:ro"));
        Assert.Null(RunVolume.TryParse("/host:/data"));
        foreach (var bad in new[] { "dockyard:team/data@:/data", "dockyard:team/data@v1", "dockyard:team/data@no/slash:/data", "dockyard:team/data@v1:/data:rx" })
        {
            Assert.Equal(LaunchFailure.Usage, Assert.Throws<LaunchException>(() => RunVolume.TryParse(bad)).Failure);
        }
    }

    [Fact]
    public async Task A_chosen_version_is_mounted_and_a_read_write_one_is_stored_on_top_of_the_latest_under_the_lease()
    {
        await using var server = await RegistryServer.StartAsync();
        var registry = server.BaseAddress.ToString();
        var (v1, v2) = await VersionFixture.PushTwoAsync(server, Repository);
        using var other = VolumeConnection.Open(registry, Repository);
        await using (var unchanged = await RunVolumeMounts.MountAsync([new RunVolume(Repository, "/data", false, "v1")], registry, VolumeKeyPaths.None, TextWriter.Null, Ct))
        {
            await unchanged.CommitAsync(TextWriter.Null, Ct);
        }
        Assert.Equal(["latest", "v1", "v2"], await VersionFixture.TagsAsync(server, Repository));

        await using (var mounts = await RunVolumeMounts.MountAsync([new RunVolume(Repository, "/data", false, "1"), new RunVolume(Repository, "/old", true, v2.Digest.Value)],
            registry, VolumeKeyPaths.None, TextWriter.Null, Ct))
        {
            var (editing, reading) = (Folder(mounts.Binds[0]), Folder(mounts.Binds[1]));
            Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(editing, "f")));
            Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(reading, "f")));
            var busy = await Assert.ThrowsAsync<LaunchException>(() => other.Leases.AcquireAsync("host-b", TimeSpan.FromSeconds(30), Ct));
            Assert.Contains("mounted read-write by", busy.Message);
            await File.AppendAllTextAsync(Path.Combine(editing, "f"), "edited\n");
            await mounts.CommitAsync(TextWriter.Null, Ct);
        }

        var latest = await VolumeOperations.RequiredAsync(other.Registry, "latest", Ct);
        Assert.Equal(3, latest.Number);
        Assert.Equal(v2.Digest, (await VolumeOperations.RequiredAsync(other.Registry, "v2", Ct)).Digest);
        Assert.Equal(VersionFixture.Chunks(v1, "keep.bin"), VersionFixture.Chunks(latest, "keep.bin"));
        var restored = Directory.CreateTempSubdirectory("dockyard-volume-run-").FullName;
        try
        {
            await VolumeMaterializer.RestoreAsync(other.Registry, latest, restored, Ct);
            Assert.Equal("one\nedited\n", await File.ReadAllTextAsync(Path.Combine(restored, "f")));
        }
        finally
        {
            Directory.Delete(restored, recursive: true);
        }

        var missing = await Assert.ThrowsAsync<LaunchException>(() =>
            RunVolumeMounts.MountAsync([new RunVolume(Repository, "/data", false, "v9")], registry, VolumeKeyPaths.None, TextWriter.Null, Ct));
        Assert.Equal(LaunchFailure.ImageNotFound, missing.Failure);
        Assert.Contains("has no version v9", missing.Message);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/extensions/v2/{Repository}/volume/lease")).StatusCode);
        Assert.Equal(["latest", "v1", "v2", "v3"], await VersionFixture.TagsAsync(server, Repository));
    }

    [Fact]
    public async Task A_read_write_mount_of_an_older_version_whose_lease_was_lost_stores_nothing()
    {
        await using var server = await RegistryServer.StartAsync();
        var registry = server.BaseAddress.ToString();
        await VersionFixture.PushTwoAsync(server, Repository);
        string? kept = null;
        try
        {
            await using (var mounts = await RunVolumeMounts.MountAsync([new RunVolume(Repository, "/data", false, "v1")], registry, VolumeKeyPaths.None, TextWriter.Null, Ct))
            {
                kept = Folder(mounts.Binds[0]);
                await File.AppendAllTextAsync(Path.Combine(kept, "f"), "late\n");
                // Taken over behind the run's back: released with its own holder and token, then leased by another host.
                var lease = await server.Client.GetFromJsonAsync<JsonElement>($"/extensions/v2/{Repository}/volume/lease");
                var holder = Uri.EscapeDataString(lease.GetProperty("holder").GetString()!);
                (await server.Client.DeleteAsync($"/extensions/v2/{Repository}/volume/lease?holder={holder}&token={lease.GetProperty("token").GetString()}")).EnsureSuccessStatusCode();
                (await server.Client.PostAsJsonAsync($"/extensions/v2/{Repository}/volume/lease", new { holder = "thief", ttlSeconds = 30 })).EnsureSuccessStatusCode();

                var refused = await Assert.ThrowsAsync<LaunchException>(() => mounts.CommitAsync(TextWriter.Null, Ct));
                Assert.Contains("nothing was stored", refused.Message);
            }
            Assert.Equal(["latest", "v1", "v2"], await VersionFixture.TagsAsync(server, Repository));
            Assert.Equal("one\nlate\n", await File.ReadAllTextAsync(Path.Combine(kept, "f")));
        }
        finally
        {
            if (kept is not null && Directory.Exists(kept))
            {
                Directory.Delete(kept, recursive: true);
            }
        }
    }

    private static string Folder(string bind) => bind[..bind.IndexOf(":/", StringComparison.Ordinal)];
}
