using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Plugin;

/// <summary>
/// <c>--opt mode=ro</c> on a second host: it mounts the latest version while the first host has the volume read-write,
/// with the owners the first host's container gave the files, and never stores a version.
/// </summary>
public sealed class ReadOnlyMountTests
{
    private const string Repository = "team/readonly";

    [Fact]
    public async Task A_second_host_mounts_read_only_while_the_first_holds_the_lease_and_owners_survive()
    {
        if (await DockerCli.FindAsync() is not { } docker)
        {
            return;
        }
        await using var server = await RegistryServer.StartAsync();
        await using var hostA = await PluginHost.StartAsync(server.BaseAddress);
        await using var hostB = await PluginHost.StartAsync(server.BaseAddress);
        var (onA, onB, container) = (hostA.Driver + "-v", hostB.Driver + "-ro", hostA.Driver + "-c");
        try
        {
            (await docker.RunAsync("volume", "create", "-d", hostA.Driver, "--opt", "repo=" + Repository, onA)).Ensure();
            (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onA + ":/data", DockerCli.Image,
                "sh", "-c", "echo one > /data/f; chown 1234:5678 /data/f; mkdir /data/d; chown 42:43 /data/d; chmod 750 /data/d")).Ensure();
            (await docker.RunAsync("run", "-d", "--name", container, "--network", "none", "-v", onA + ":/data", DockerCli.Image,
                "sh", "-c", "exec sleep 300")).Ensure();
            (await docker.RunAsync("volume", "create", "-d", hostB.Driver, "--opt", "repo=" + Repository, "--opt", "mode=ro", onB)).Ensure();

            var read = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onB + ":/data", DockerCli.Image,
                "sh", "-c", "cat /data/f; stat -c '%u:%g %a' /data/f /data/d; echo scribble > /data/g")).Ensure();

            Assert.Equal("one\n1234:5678 644\n42:43 750\n", read.Output);
            Assert.Equal(["latest", "v1"], await TagsAsync(server));
            Assert.Equal(System.Net.HttpStatusCode.OK, (await server.Client.GetAsync($"/extensions/v2/{Repository}/volume/lease")).StatusCode);
            var again = (await docker.RunAsync("run", "--rm", "--network", "none", "-v", onB + ":/data", DockerCli.Image, "ls", "/data")).Ensure();
            Assert.Equal("d\nf\n", again.Output);
            var bad = await docker.RunAsync("volume", "create", "-d", hostB.Driver, "--opt", "repo=" + Repository, "--opt", "mode=rx", onB + "x");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("mode=rx", bad.Error);
        }
        finally
        {
            await docker.RunAsync("rm", "-f", container);
            await docker.RunAsync("volume", "rm", onA);
            await docker.RunAsync("volume", "rm", onB);
        }
        Assert.Equal(["latest", "v1"], await TagsAsync(server));
    }

    private static async Task<string[]> TagsAsync(RegistryServer server) =>
        (await server.Client.GetFromJsonAsync<JsonElement>($"/v2/{Repository}/tags/list")).GetProperty("tags").EnumerateArray()
            .Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToArray();
}
