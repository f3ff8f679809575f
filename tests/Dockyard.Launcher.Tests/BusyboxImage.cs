using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Launcher.Tests;

/// <summary>The busybox test image copied by skopeo into a test registry, and removed from the engine when the test ends.</summary>
internal static class BusyboxImage
{
    /// <returns>The image's full name, <c>HOST:PORT/REPOSITORY:v1</c>.</returns>
    public static async Task<string> PushAsync(LauncherProcess launcher, Skopeo skopeo, BusyboxLayer layer, TestWorkspace workspace, RegistryServer server,
        string repository)
    {
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/{repository}:v1")).EnsureSuccess();
        var image = $"{server.HostAndPort}/{repository}:v1";
        launcher.Track(image);
        return image;
    }
}
