using System.Net.Http.Json;
using Dockyard.Interop.Tests.Encryption;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Plugin;

namespace Dockyard.Volumes.Tests.Cli;

/// <summary><c>launcher volume push|ls|inspect|pull|restore|rm</c> as a user runs them, against a real Dockyard.</summary>
public sealed class VolumeCliTests
{
    [Fact]
    public async Task Push_list_inspect_pull_restore_and_remove()
    {
        await using var server = await RegistryServer.StartAsync();
        var work = Directory.CreateTempSubdirectory("dockyard-volume-cli-").FullName;
        try
        {
            var source = Directory.CreateDirectory(Path.Combine(work, "source")).FullName;
            await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "first");
            var registry = server.BaseAddress.ToString();
            Assert.Contains("v1 sha256:", (await LauncherAsync(work, "volume", "push", "team/cli", source, "--registry", registry)).Output);
            await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "second");
            (await LauncherAsync(work, "volume", "push", "team/cli", source, "--registry", registry)).EnsureOk();

            var list = (await LauncherAsync(work, "volume", "ls", "team/cli", "--registry", registry)).EnsureOk().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, list.Length);
            Assert.EndsWith("latest", list[1]);
            Assert.Contains("file\t644\t6\ta.txt", (await LauncherAsync(work, "volume", "inspect", "team/cli", "--registry", registry)).EnsureOk().Output);

            var pulled = Path.Combine(work, "pulled");
            (await LauncherAsync(work, "volume", "pull", "team/cli", pulled, "--version", "1", "--registry", registry)).EnsureOk();
            Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(pulled, "a.txt")));
            Assert.StartsWith("v3 ", (await LauncherAsync(work, "volume", "restore", "team/cli", "1", "--registry", registry)).EnsureOk().Output);
            (await LauncherAsync(work, "volume", "pull", "team/cli", pulled, "--registry", registry)).EnsureOk();
            Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(pulled, "a.txt")));

            await server.Client.PostAsJsonAsync("/extensions/v2/team/cli/volume/lease", new { holder = "elsewhere", ttlSeconds = 30 });
            var busy = await LauncherAsync(work, "volume", "rm", "team/cli", "--registry", registry);
            Assert.Equal(8, busy.ExitCode);
            Assert.Contains("mounted read-write by elsewhere", busy.Error);
            var missing = await LauncherAsync(work, "volume", "inspect", "team/none", "--registry", registry);
            Assert.Equal(3, missing.ExitCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Encrypted_push_and_pull_take_the_same_key_flags_as_encrypted_images()
    {
        await using var server = await RegistryServer.StartAsync();
        var work = Directory.CreateTempSubdirectory("dockyard-volume-cli-enc-").FullName;
        try
        {
            var (right, wrong) = (KeyFiles.Ec(Path.Combine(work, "right")), KeyFiles.Rsa(Path.Combine(work, "wrong")));
            var source = Directory.CreateDirectory(Path.Combine(work, "source")).FullName;
            await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "secret");
            var registry = server.BaseAddress.ToString();
            (await LauncherAsync(work, "volume", "push", "team/clienc", source, "--encryption-key", "jwe:" + right.PublicPem, "--registry", registry)).EnsureOk();
            var pulled = Path.Combine(work, "pulled");

            var refused = await LauncherAsync(work, "volume", "pull", "team/clienc", pulled, "--decryption-key", wrong.PrivatePem, "--registry", registry);
            var keyless = await LauncherAsync(work, "volume", "inspect", "team/clienc", "--registry", registry);
            var writtenWhenRefused = Directory.Exists(pulled);
            (await LauncherAsync(work, "volume", "pull", "team/clienc", pulled, "--decryption-key", right.PrivatePem, "--registry", registry)).EnsureOk();

            Assert.Equal(6, refused.ExitCode);
            Assert.Contains("launcher: decryption failed: wrong decryption key", refused.Error);
            Assert.False(writtenWhenRefused);
            Assert.Equal(6, keyless.ExitCode);
            Assert.Contains("--decryption-key", keyless.Error);
            Assert.Equal("secret", await File.ReadAllTextAsync(Path.Combine(pulled, "a.txt")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Snapshot_stores_a_volume_the_plugin_has_mounted_with_the_plugins_lease_and_keys()
    {
        await using var server = await RegistryServer.StartAsync();
        var work = Directory.CreateTempSubdirectory("dockyard-volume-cli-snap-").FullName;
        try
        {
            var key = KeyFiles.Rsa(Path.Combine(work, "key"));
            var registry = server.BaseAddress.ToString();
            await using var host = await PluginHost.StartAsync(server.BaseAddress);
            var options = new Dictionary<string, string> { ["repo"] = "team/snap", ["encrypt-recipient"] = "jwe:" + key.PublicPem, ["decrypt-key"] = key.PrivatePem };
            Assert.Equal("", (await host.CallAsync("Create", new { Name = "snap", Opts = options })).GetProperty("Err").GetString());
            var mounted = await host.CallAsync("Mount", new { Name = "snap", ID = "c1" });
            await File.WriteAllTextAsync(Path.Combine(mounted.GetProperty("Mountpoint").GetString()!, "f.txt"), "while mounted");

            var snapshot = await LauncherAsync(work, "volume", "snapshot", "snap", "--state", host.StateFolder, "--registry", registry);
            var pulled = Path.Combine(work, "pulled");
            (await LauncherAsync(work, "volume", "pull", "team/snap", pulled, "--decryption-key", key.PrivatePem, "--registry", registry)).EnsureOk();
            var unmounted = await host.CallAsync("Unmount", new { Name = "snap", ID = "c1" });
            var list = (await LauncherAsync(work, "volume", "ls", "team/snap", "--decryption-key", key.PrivatePem, "--registry", registry)).EnsureOk();

            Assert.StartsWith("v1 sha256:", snapshot.EnsureOk().Output);
            Assert.Equal("while mounted", await File.ReadAllTextAsync(Path.Combine(pulled, "f.txt")));
            Assert.Equal("", unmounted.GetProperty("Err").GetString());
            Assert.Single(list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.EndsWith("application/vnd.dockyard.volume.index.v1+json+encrypted",
                (await server.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v2/team/snap/manifests/latest")).GetProperty("config").GetProperty("mediaType").GetString());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Task<CliResult> LauncherAsync(string config, params string[] arguments) => LauncherCli.RunAsync(config, arguments);
}
