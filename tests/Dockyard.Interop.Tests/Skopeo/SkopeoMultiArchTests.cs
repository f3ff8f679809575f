using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Skopeo;

/// <summary>
/// skopeo copies a multi-architecture OCI index with <c>--all</c>, and resolves it to one platform without it.
/// (skopeo 1.9 has no option to push with sha512 digests, so there is no sha512 case here.)
/// </summary>
public sealed class SkopeoMultiArchTests
{
    [Fact]
    public async Task Copy_all_pushes_the_index_and_every_platform_manifest()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteMultiArch(workspace.Folder("src"), layer, "multi");
        await using var server = await RegistryServer.StartAsync();
        var remote = $"docker://{server.HostAndPort}/interop/multi/arch/image:multi";

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:multi", remote, "--all")).EnsureSuccess();

        var raw = JsonNode.Parse((await skopeo.InspectAsync(remote, "--raw")).EnsureSuccess().Output)!;
        Assert.Equal(OciBlob.IndexType, (string?)raw["mediaType"]);
        Assert.Equal(image.Manifests.Select(m => m.Digest), raw["manifests"]!.AsArray().Select(m => (string)m!["digest"]!));
        foreach (var manifest in image.Manifests)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/interop/multi/arch/image/manifests/{manifest.Digest}");
            request.Headers.Accept.ParseAdd(OciBlob.ManifestType);
            using var response = await server.Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"GET {manifest.Digest}: {(int)response.StatusCode}");
            Assert.Equal(manifest.Content, await response.Content.ReadAsByteArrayAsync());
        }

        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back")}:multi", "--all")).EnsureSuccess();
        var back = new OciLayoutReader(workspace.Folder("back"));
        Assert.Equal(image.Root.Digest, (string?)back.Resolve("multi")["digest"]);
        foreach (var manifest in image.Manifests)
        {
            Assert.Equal([layer.Digest], back.LayerDigests(manifest.Digest));
        }
    }

    [Fact]
    public async Task Inspect_of_an_index_picks_the_requested_platform()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteMultiArch(workspace.Folder("src"), layer, "multi");
        await using var server = await RegistryServer.StartAsync();
        var remote = $"docker://{server.HostAndPort}/interop/multi/pick:multi";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:multi", remote, "--all")).EnsureSuccess();

        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var info = JsonNode.Parse((await skopeo.RunAsync(
                "--override-arch", architecture, "--override-os", "linux", "inspect", "--tls-verify=false", remote)).EnsureSuccess().Output)!;
            Assert.Equal(architecture, (string?)info["Architecture"]);
            Assert.Equal([layer.Digest], info["Layers"]!.AsArray().Select(l => (string)l!).ToArray());
            var config = JsonNode.Parse((await skopeo.RunAsync("--override-arch", architecture, "--override-os", "linux",
                "inspect", "--tls-verify=false", "--config", "--raw", remote)).EnsureSuccess().Output)!;
            Assert.Equal(architecture, (string?)config["architecture"]);
        }
    }
}
