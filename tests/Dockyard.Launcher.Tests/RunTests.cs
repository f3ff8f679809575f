using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Launcher.Tests;

/// <summary><c>launcher run</c>, <c>-d</c>, <c>ps</c>, <c>logs</c>, <c>stop</c>, <c>rm</c> with a busybox image skopeo pushed to Dockyard.</summary>
public sealed class RunTests
{
    [Fact]
    public async Task Run_prints_the_output_and_exits_with_the_containers_exit_code()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var server = await RegistryServer.StartAsync();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/test/busybox:v1")).EnsureSuccess();
        var image = $"{server.HostAndPort}/test/busybox:v1";
        launcher.Track(image);

        var run = await launcher.RunAsync("run", "--registry", server.BaseAddress.ToString(), "--network", "none", "--rm", "-e", "WHO=dockyard",
            "test/busybox:v1", "--", "sh", "-c", "echo hi $WHO; exit 3");
        Assert.True(run.ExitCode == 3, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Equal("hi dockyard\n", run.Output);
        Assert.Contains("layer 1/1", run.Error);
        Assert.True(await launcher.ImageExistsAsync(image));
        Assert.Empty(await launcher.ContainersAsync(image));

        var byDigest = await launcher.RunAsync(new Dictionary<string, string> { ["DOCKYARD_REGISTRY"] = server.HostAndPort }, "run", "-q", "--network", "none", "--rm",
            $"test/busybox@{(await ManifestDigestAsync(server, "test/busybox", "v1"))}", "--", "echo", "pinned");
        Assert.True(byDigest.ExitCode == 0, byDigest.Error);
        Assert.Equal("pinned\n", byDigest.Output);
    }

    [Fact]
    public async Task Detached_containers_are_listed_logged_stopped_and_removed()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var server = await RegistryServer.StartAsync();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/test/daemon:v1")).EnsureSuccess();
        var image = $"{server.HostAndPort}/test/daemon:v1";
        launcher.Track(image);
        var name = "launcher-test-" + Guid.NewGuid().ToString("N")[..8];

        var run = (await launcher.RunAsync("run", "-d", "--name", name, "--network", "none", $"{server.HostAndPort}/test/daemon:v1",
            "--", "sh", "-c", "echo started; exec sleep 300")).EnsureSuccess();
        Assert.Matches("^[0-9a-f]{64}\n$", run.Output);

        var ps = (await launcher.RunAsync("ps")).EnsureSuccess();
        Assert.Contains(name, ps.Output);
        Assert.Contains(image, ps.Output);
        await WaitForAsync(async () => (await launcher.RunAsync("logs", name)).Output.Contains("started", StringComparison.Ordinal));

        (await launcher.RunAsync("stop", "-t", "1", name)).EnsureSuccess();
        Assert.DoesNotContain(name, (await launcher.RunAsync("ps")).EnsureSuccess().Output);
        Assert.Contains(name, (await launcher.RunAsync("ps", "-a")).EnsureSuccess().Output);
        (await launcher.RunAsync("rm", name)).EnsureSuccess();
        Assert.DoesNotContain(name, (await launcher.RunAsync("ps", "-a")).EnsureSuccess().Output);

        var gone = await launcher.RunAsync("logs", name);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("docker engine error", gone.Error);
    }

    [Fact]
    public async Task Missing_images_and_unreachable_engines_are_clear_errors()
    {
        if (LauncherProcess.Find() is not { } launcher)
        {
            return;
        }
        await using var _ = launcher;
        await using var server = await RegistryServer.StartAsync();

        var missing = await launcher.RunAsync("run", "--registry", server.BaseAddress.ToString(), "test/nothing:v1");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("launcher: image not found:", missing.Error);
        Assert.Empty(await launcher.ContainersAsync($"{server.HostAndPort}/test/nothing:v1"));

        var socket = Path.Combine(Path.GetTempPath(), "no-such-docker-" + Guid.NewGuid().ToString("N") + ".sock");
        var unreachable = await launcher.RunAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + socket },
            "run", "--registry", server.BaseAddress.ToString(), "test/nothing:v1");
        Assert.Equal(7, unreachable.ExitCode);
        Assert.Contains("launcher: docker engine not reachable: unix://" + socket, unreachable.Error);

        var ps = await launcher.RunAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = "tcp://127.0.0.1:1" }, "ps");
        Assert.Equal(7, ps.ExitCode);
        Assert.Contains("docker engine not reachable", ps.Error);
    }

    internal static async Task<string> ManifestDigestAsync(RegistryServer server, string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50 && !await condition(); i++)
        {
            await Task.Delay(200);
        }
        Assert.True(await condition(), "condition not reached in 10 s");
    }
}
