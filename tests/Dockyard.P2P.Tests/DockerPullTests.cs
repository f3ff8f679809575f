using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.P2P.Tests;

/// <summary>
/// A real Docker engine pulling through agents (<c>docker pull 127.0.0.1:PORT/repo:tag</c>, since registry-mirrors
/// only applies to Docker Hub): manifests from the registry, blobs assembled from pieces; the second host's pull comes
/// from the first agent.
/// </summary>
public sealed class DockerPullTests
{
    [Fact]
    public async Task Docker_pulls_and_runs_an_image_through_an_agent_and_a_second_host_gets_its_layers_from_the_first()
    {
        if (DockerCli.Find() is not { } docker || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is null)
        {
            return;
        }
        // A layer (and config) this engine has never seen: other tests load the shared busybox image into the same
        // engine, which then asks the agents for nothing and leaves nothing for this test to count.
        var layer = BusyboxLayer.Create(BusyboxLayer.FindBusybox()!, marker: Guid.NewGuid().ToString("N"));
        using var workspace = new TestWorkspace();
        await using var registry = await P2PRegistry.StartAsync();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{registry.BaseAddress.Authority}/alice/app:v1",
            "--dest-creds", $"alice:{P2PRegistry.AlicePassword}")).EnsureSuccess();
        var first = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        var second = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        var viaFirst = $"{first.MirrorAddress.Authority}/alice/app:v1";
        var viaSecond = $"{second.MirrorAddress.Authority}/alice/app:v1";
        try
        {
            (await docker.RunAsync("pull", viaFirst)).EnsureSuccess();
            var run = await docker.RunAsync("run", "--rm", "--network", "none", viaFirst, "echo", "through the agent");
            run.EnsureSuccess();
            Assert.Contains("through the agent", run.Output, StringComparison.Ordinal);
            Assert.True(first.Stats.BytesFromRegistry > 0);
            await docker.RemoveImagesAsync(viaFirst);

            (await docker.RunAsync("pull", viaSecond)).EnsureSuccess();

            // Nothing from the registry, and what the second host fetched came from the first agent. Not "equal to what
            // the first fetched": the engine may keep a layer of the removed image for a moment and not ask for it again.
            Assert.Equal(0, second.Stats.BytesFromRegistry);
            Assert.InRange(second.Stats.BytesFromPeers, 1, first.Stats.BytesFromRegistry);
        }
        finally
        {
            await docker.RemoveImagesAsync(viaFirst, viaSecond);
        }
    }
}
