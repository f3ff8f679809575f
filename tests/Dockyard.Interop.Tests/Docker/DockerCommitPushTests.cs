using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Docker;

/// <summary>
/// docker pushes a layer the registry has never seen (a committed container), which takes docker's own blob upload
/// path rather than a cross-repository mount, and pulls it back after the engine forgot it.
/// </summary>
public sealed class DockerCommitPushTests
{
    [Fact]
    public async Task Docker_uploads_a_new_layer_and_pulls_it_back()
    {
        if (DockerCli.Find() is not { } docker || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        await using var server = await RegistryServer.StartAsync();
        var baseImage = $"{server.HostAndPort}/test/base:latest";
        var committed = $"{server.HostAndPort}/test/committed/image:c1";
        var container = "dockyard-interop-" + Guid.NewGuid().ToString("N")[..12];
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{baseImage}")).EnsureSuccess();
        try
        {
            (await docker.RunAsync("pull", baseImage)).EnsureSuccess();
            (await docker.RunAsync("run", "--name", container, "--network", "none", baseImage,
                "sh", "-c", "echo committed-by-docker > /tmp/marker")).EnsureSuccess();
            (await docker.RunAsync("commit", container, committed)).EnsureSuccess();
            (await docker.RunAsync("push", committed)).EnsureSuccess();

            var manifest = JsonNode.Parse((await skopeo.InspectAsync($"docker://{committed}", "--raw")).EnsureSuccess().Output)!;
            var layers = manifest["layers"]!.AsArray().Select(l => (string)l!["digest"]!).ToList();
            Assert.Equal(2, layers.Count);
            // The base layer keeps its uncompressed content, but docker may compress it anew instead of reusing the
            // registry's blob (it decides from the engine's own records, which other tests share): compare diff_ids.
            var config = JsonNode.Parse((await skopeo.InspectAsync($"docker://{committed}", "--config", "--raw")).EnsureSuccess().Output)!;
            Assert.Equal(layer.DiffId, (string?)config["rootfs"]!["diff_ids"]![0]);
            foreach (var digest in layers)
            {
                using var blob = await server.Client.GetAsync($"/v2/test/committed/image/blobs/{digest}");
                Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
                Assert.Equal(digest, OciBlob.DigestOf(await blob.Content.ReadAsByteArrayAsync()));
            }

            await docker.RunAsync("rm", "--force", container);
            await docker.RemoveImagesAsync(baseImage, committed);
            (await docker.RunAsync("pull", committed)).EnsureSuccess();
            var run = (await docker.RunAsync("run", "--rm", "--network", "none", committed, "cat", "/tmp/marker")).EnsureSuccess();
            Assert.Equal("committed-by-docker", run.Output.Trim());
        }
        finally
        {
            await docker.RunAsync("rm", "--force", container);
            await docker.RemoveImagesAsync(baseImage, committed);
        }
    }
}
