using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// <c>launcher volume-plugin</c> on a real dockerd and a real Dockyard: two plugin instances with their own state
/// folders are two hosts sharing the registry.
/// </summary>
public sealed class VolumePluginTests
{
    private const string Repository = "team/shared";

    [Fact]
    public async Task Data_written_on_one_host_is_read_on_another()
    {
        if (await DockerCli.FindAsync() is not { } docker)
        {
            return;
        }
        await using var server = await RegistryServer.StartAsync();
        await using var hostA = await PluginHost.StartAsync(server.BaseAddress);
        await using var hostB = await PluginHost.StartAsync(server.BaseAddress);
        var (onA, onB) = (hostA.Driver + "-v", hostB.Driver + "-v");
        try
        {
            (await docker.RunAsync("volume", "create", "-d", hostA.Driver, "--opt", "repo=" + Repository, onA)).Ensure();
            (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onA + ":/data", DockerCli.Image,
                "sh", "-c", "echo hello > /data/greeting; mkdir /data/sub; echo deep > /data/sub/file")).Ensure();
            (await docker.RunAsync("volume", "create", "-d", hostB.Driver, "--opt", "repo=" + Repository, onB)).Ensure();

            var read = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onB + ":/data", DockerCli.Image,
                "cat", "/data/greeting", "/data/sub/file")).Ensure();

            Assert.Equal("hello\ndeep\n", read.Output);
            Assert.Contains(onA, (await docker.RunAsync("volume", "ls", "--filter", "driver=" + hostA.Driver)).Ensure().Output);
            Assert.Contains(Repository, (await docker.RunAsync("volume", "inspect", onB)).Ensure().Output);
        }
        finally
        {
            await docker.RunAsync("volume", "rm", onA);
            await docker.RunAsync("volume", "rm", onB);
        }
        Assert.DoesNotContain(onA, (await docker.RunAsync("volume", "ls")).Output);
    }

    [Fact]
    public async Task A_second_host_is_refused_while_the_first_has_the_volume_mounted()
    {
        if (await DockerCli.FindAsync() is not { } docker)
        {
            return;
        }
        await using var server = await RegistryServer.StartAsync();
        await using var hostA = await PluginHost.StartAsync(server.BaseAddress);
        await using var hostB = await PluginHost.StartAsync(server.BaseAddress);
        var (onA, onB, container) = (hostA.Driver + "-v", hostB.Driver + "-v", hostA.Driver + "-c");
        try
        {
            (await docker.RunAsync("volume", "create", "-d", hostA.Driver, "--opt", "repo=" + Repository, onA)).Ensure();
            (await docker.RunAsync("volume", "create", "-d", hostB.Driver, "--opt", "repo=" + Repository, onB)).Ensure();
            (await docker.RunAsync("run", "-d", "--name", container, "--network", "none", "-v", onA + ":/data", DockerCli.Image,
                "sh", "-c", "echo from-a > /data/owner; exec sleep 300")).Ensure();

            var refused = await docker.RunAsync("run", "--rm", "--network", "none", "-v", onB + ":/data", DockerCli.Image, "true");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("mounted read-write by", refused.Error);

            (await docker.RunAsync("rm", "-f", container)).Ensure();
            var after = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onB + ":/data", DockerCli.Image, "cat", "/data/owner")).Ensure();
            Assert.Equal("from-a\n", after.Output);
        }
        finally
        {
            await docker.RunAsync("rm", "-f", container);
            await docker.RunAsync("volume", "rm", onA);
            await docker.RunAsync("volume", "rm", onB);
        }
    }

    [Fact]
    public async Task A_renewed_lease_holds_past_its_ttl_and_a_killed_hosts_lease_expires()
    {
        await using var server = await RegistryServer.StartAsync();
        await using var hostA = await PluginHost.StartAsync(server.BaseAddress, leaseTtlSeconds: 3);
        await using var hostB = await PluginHost.StartAsync(server.BaseAddress, leaseTtlSeconds: 3);
        Assert.Equal("", (await hostA.CallAsync("Create", new { Name = "crash", Opts = new { repo = "team/crash" } })).GetProperty("Err").GetString());
        Assert.Equal("", (await hostB.CallAsync("Create", new { Name = "crash", Opts = new { repo = "team/crash" } })).GetProperty("Err").GetString());
        var mountedA = await hostA.CallAsync("Mount", new { Name = "crash", ID = "a1" });
        Assert.Equal("", mountedA.GetProperty("Err").GetString());
        await File.WriteAllTextAsync(Path.Combine(mountedA.GetProperty("Mountpoint").GetString()!, "lost"), "never committed");

        // Past the TTL the lease is still A's: the plugin renews it every third of the TTL while mounted.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Contains("mounted read-write by", (await hostB.CallAsync("Mount", new { Name = "crash", ID = "b0" })).GetProperty("Err").GetString());

        await hostA.KillAsync();
        var refused = await hostB.CallAsync("Mount", new { Name = "crash", ID = "b1" });
        Assert.Contains("mounted read-write by", refused.GetProperty("Err").GetString());
        await Task.Delay(TimeSpan.FromSeconds(4));
        var mountedB = await hostB.CallAsync("Mount", new { Name = "crash", ID = "b1" });

        Assert.Equal("", mountedB.GetProperty("Err").GetString());
        Assert.False(File.Exists(Path.Combine(mountedB.GetProperty("Mountpoint").GetString()!, "lost")));
        Assert.Equal("", (await hostB.CallAsync("Unmount", new { Name = "crash", ID = "b1" })).GetProperty("Err").GetString());
    }
}
