using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// Volumes take the repository's permissions, on a registry enforcing token auth with a real dockerd: bob, who may pull
/// alice's public volume but not push it, mounts it read-only, and is refused a read-write mount, a push and a snapshot
/// with a clear error, leaving no version and no lease; for alice's private volume, which bob may not even pull, every
/// answer is the one a repository that does not exist gets.
/// </summary>
public sealed class PermissionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_pull_only_user_mounts_read_only_only_and_no_access_looks_like_no_repository()
    {
        if (await DockerCli.FindAsync() is not { } docker)
        {
            return;
        }
        var work = Directory.CreateTempSubdirectory("dockyard-volume-perm-").FullName;
        var (aliceConfig, source) = (Folder(work, "alice"), Folder(work, "source"));
        // The plugin's state, deleted with the plugin (which reads docker login's config.json from it).
        var bobState = Directory.CreateTempSubdirectory("dockyard-volume-bob-").FullName;
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(Folder(work, "keys"), "token.key"),
            ["token:rootcertbundle"] = Path.Combine(work, "keys", "token.crt"),
        });
        var users = server.Services.GetRequiredService<UserService>();
        await users.AddAsync("alice", "alice-password", null, false, Ct);
        await users.AddAsync("bob", "bob-password", null, false, Ct);
        var policies = server.Services.GetRequiredService<RepositoryPolicyService>();
        await policies.CreateAsync(new Principal("alice", false), "shared", true, null, null, "alice", Ct);
        await policies.CreateAsync(new Principal("alice", false), "private", false, null, null, "alice", Ct);
        Login(aliceConfig, server.HostAndPort, "alice", "alice-password");
        Login(bobState, server.HostAndPort, "bob", "bob-password");
        await File.WriteAllTextAsync(Path.Combine(source, "f"), "alice's\n");
        var registry = server.BaseAddress.ToString();
        (await LauncherCli.RunAsync(aliceConfig, "volume", "push", "alice/shared", source, "--registry", registry)).EnsureOk();
        (await LauncherCli.RunAsync(aliceConfig, "volume", "push", "alice/private", source, "--registry", registry)).EnsureOk();
        await using var bob = await PluginHost.StartAsync(server.BaseAddress, state: bobState);
        var (readOnly, readWrite) = (bob.Driver + "-ro", bob.Driver + "-rw");
        try
        {
            (await docker.RunAsync("volume", "create", "-d", bob.Driver, "--opt", "repo=alice/shared", "--opt", "mode=ro", readOnly)).Ensure();
            (await docker.RunAsync("volume", "create", "-d", bob.Driver, "--opt", "repo=alice/shared", readWrite)).Ensure();

            var read = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", readOnly + ":/data", DockerCli.Image, "cat", "/data/f")).Ensure();
            var write = await docker.RunAsync("run", "--rm", "--network", "none", "-v", readWrite + ":/data", DockerCli.Image, "sh", "-c", "echo bob > /data/f");
            var push = await LauncherCli.RunAsync(bobState, "volume", "push", "alice/shared", source, "--registry", registry);
            var snapshot = await LauncherCli.RunAsync(bobState, "volume", "snapshot", readWrite, "--state", bobState, "--registry", registry);
            var restore = await LauncherCli.RunAsync(bobState, "volume", "restore", "alice/shared", "1", "--registry", registry);

            Assert.Equal("alice's\n", read.Output);
            Assert.NotEqual(0, write.ExitCode);
            Assert.Contains("needs push permission", write.Error);
            Assert.Equal(4, push.ExitCode);
            Assert.Contains("needs push permission", push.Error);
            Assert.Equal(2, snapshot.ExitCode);
            Assert.Contains("is not mounted read-write on this host", snapshot.Error);
            Assert.Equal(4, restore.ExitCode);
            var versions = (await LauncherCli.RunAsync(aliceConfig, "volume", "ls", "alice/shared", "--registry", registry)).EnsureOk().Output;
            Assert.Single(versions.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Null(await server.Services.GetRequiredService<VolumeLeaseService>().CurrentAsync(RepositoryName.Parse("alice/shared"), Ct));

            // No access at all: the same answers, word for word, as for a repository that does not exist.
            string[][] commands = [["volume", "ls", "{0}"], ["volume", "pull", "{0}", Path.Combine(work, "pulled")], ["volume", "push", "{0}", source]];
            foreach (var arguments in commands)
            {
                var denied = await LauncherCli.RunAsync(bobState, [.. arguments.Select(a => a.Replace("{0}", "alice/private", StringComparison.Ordinal)), "--registry", registry]);
                var absent = await LauncherCli.RunAsync(bobState, [.. arguments.Select(a => a.Replace("{0}", "alice/absent", StringComparison.Ordinal)), "--registry", registry]);
                Assert.NotEqual(0, denied.ExitCode);
                Assert.Equal((absent.ExitCode, absent.Error), (denied.ExitCode, denied.Error.Replace("alice/private", "alice/absent", StringComparison.Ordinal)));
            }
            foreach (var mode in new[] { "ro", "rw" })
            {
                var denied = await MountAsync(bob, "private-" + mode, "alice/private", mode);
                var absent = await MountAsync(bob, "absent-" + mode, "alice/absent", mode);
                Assert.Contains("no permission", denied);
                Assert.Equal(absent, denied.Replace("alice/private", "alice/absent", StringComparison.Ordinal));
            }
            Assert.False(Directory.Exists(Path.Combine(work, "pulled")));
        }
        finally
        {
            await docker.RunAsync("volume", "rm", readOnly);
            await docker.RunAsync("volume", "rm", readWrite);
            Directory.Delete(work, recursive: true);
        }
    }

    // Create and Mount over the plugin protocol, as dockerd sends them; the mount's error.
    private static async Task<string> MountAsync(PluginHost host, string name, string repository, string mode)
    {
        var created = await host.CallAsync("Create", new { Name = name, Opts = new Dictionary<string, string> { ["repo"] = repository, ["mode"] = mode } });
        Assert.Equal("", created.GetProperty("Err").GetString());
        return (await host.CallAsync("Mount", new { Name = name, ID = "c1" })).GetProperty("Err").GetString()!;
    }

    private static string Folder(string work, string name) => Directory.CreateDirectory(Path.Combine(work, name)).FullName;

    private static void Login(string config, string host, string user, string password)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        File.WriteAllText(Path.Combine(config, "config.json"), "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    }
}
