using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.Encryption;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Launcher.Tests;

/// <summary>
/// <c>launcher run -v dockyard:REPO[@VERSION]:/data[:ro]</c> on the real engine: a read-write run stores the folder as
/// a new version after the container exits; <c>@v1</c> mounts an older one (a version that does not exist stops the
/// run); while another host holds the lease a read-write run is refused and a read-only run still sees the latest
/// version, cannot write it, and stores nothing. An encrypted volume takes the image's key flags.
/// </summary>
public sealed class RegistryVolumeTests
{
    [Fact]
    public async Task A_registry_volume_is_stored_after_the_run_and_mounted_read_only_while_leased_elsewhere()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        await using var server = await RegistryServer.StartAsync();
        var image = await BusyboxImage.PushAsync(launcher, skopeo, layer, workspace, server, "test/runvol");

        var write = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", "dockyard:team/data:/data", image,
            "--", "sh", "-c", "echo first > /data/f.txt; mkdir /data/sub; echo deep > /data/sub/g.txt");
        Assert.True(write.ExitCode == 0, write.Error);
        Assert.Equal(["latest", "v1"], await TagsAsync(server));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/extensions/v2/team/data/volume/lease")).StatusCode);

        var again = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", "dockyard:team/data:/data:rw", image,
            "--", "sh", "-c", "cat /data/f.txt /data/sub/g.txt; echo second >> /data/f.txt");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal("first\ndeep\n", again.Output);
        Assert.Equal(["latest", "v1", "v2"], await TagsAsync(server));

        var older = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", "dockyard:team/data@v1:/data:ro", image, "--", "cat", "/data/f.txt");
        Assert.True(older.ExitCode == 0, older.Error);
        Assert.Equal("first\n", older.Output);
        var missing = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", "dockyard:team/data@v9:/data", image, "--", "true");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("has no version v9", missing.Error);

        Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsJsonAsync("/extensions/v2/team/data/volume/lease", new { holder = "host-b", ttlSeconds = 300 })).StatusCode);
        var refused = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", "dockyard:team/data:/data", image, "--", "true");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("host-b", refused.Error);

        var read = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", "dockyard:team/data:/data:ro", image,
            "--", "sh", "-c", "cat /data/f.txt; touch /data/new 2>/dev/null || echo read-only");
        Assert.True(read.ExitCode == 0, read.Error);
        Assert.Equal("first\nsecond\nread-only\n", read.Output);
        Assert.Equal(["latest", "v1", "v2"], await TagsAsync(server));
    }

    [Fact]
    public async Task An_encrypted_registry_volume_is_stored_for_its_recipients_and_opened_only_with_their_key()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        await using var server = await RegistryServer.StartAsync();
        var image = await BusyboxImage.PushAsync(launcher, skopeo, layer, workspace, server, "test/runvolenc");
        var (key, wrong) = (KeyFiles.Rsa(workspace.Folder("key")), KeyFiles.Ec(workspace.Folder("wrong")));

        var write = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "--encryption-key", "jwe:" + key.PublicPem,
            "--decryption-key", key.PrivatePem, "-v", "dockyard:team/sealed:/data", image, "--", "sh", "-c", "echo hidden > /data/f.txt");
        var refused = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "--decryption-key", wrong.PrivatePem,
            "-v", "dockyard:team/sealed:/data:ro", image, "--", "cat", "/data/f.txt");
        var plainOver = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "--decryption-key", key.PrivatePem,
            "-v", "dockyard:team/sealed:/data", image, "--", "true");
        var read = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "--decryption-key", key.PrivatePem,
            "-v", "dockyard:team/sealed:/data:ro", image, "--", "cat", "/data/f.txt");

        Assert.True(write.ExitCode == 0, write.Error);
        Assert.True(refused.ExitCode == 6, $"exit {refused.ExitCode}: {refused.Error}");
        Assert.Contains("wrong decryption key", refused.Error);
        Assert.DoesNotContain("hidden", refused.Output);
        Assert.NotEqual(0, plainOver.ExitCode);
        Assert.Contains("is encrypted", plainOver.Error);
        Assert.True(read.ExitCode == 0, read.Error);
        Assert.Equal("hidden\n", read.Output);
        using var manifest = JsonDocument.Parse(await server.Client.GetStringAsync("/v2/team/sealed/manifests/latest"));
        Assert.EndsWith("+encrypted", manifest.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(["latest", "v1"], await TagsAsync(server, "team/sealed"));
    }

    private static async Task<string[]> TagsAsync(RegistryServer server, string repository = "team/data") =>
        (await server.Client.GetFromJsonAsync<JsonElement>($"/v2/{repository}/tags/list")).GetProperty("tags").EnumerateArray()
            .Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToArray();
}
