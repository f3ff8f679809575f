using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Launcher.Tests;

/// <summary><c>-v host:container</c> bind mounts, as docker run does.</summary>
public sealed class VolumeTests
{
    [Fact]
    public async Task A_bind_mounted_folder_is_readable_and_writable_in_the_container()
    {
        if (LauncherProcess.Find() is not { } launcher || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var _ = launcher;
        using var workspace = new TestWorkspace();
        await using var server = await RegistryServer.StartAsync();
        var image = await BusyboxImage.PushAsync(launcher, skopeo, layer, workspace, server, "test/volume");
        var shared = Directory.CreateDirectory(workspace.Folder("shared")).FullName;
        await File.WriteAllTextAsync(Path.Combine(shared, "in.txt"), "from the host");

        var run = await launcher.RunAsync("run", "-q", "--network", "none", "--rm", "-v", $"{shared}:/data", image,
            "--", "sh", "-c", "cat /data/in.txt; echo from the container > /data/out.txt");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("from the host", run.Output);
        Assert.Equal("from the container\n", await File.ReadAllTextAsync(Path.Combine(shared, "out.txt")));
    }
}
