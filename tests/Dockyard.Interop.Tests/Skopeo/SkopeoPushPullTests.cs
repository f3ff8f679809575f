using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Skopeo;

/// <summary>skopeo pushes OCI and Docker v2s2 images into nested repositories and pulls them back unchanged.</summary>
public sealed class SkopeoPushPullTests
{
    [Fact]
    public async Task Oci_image_pushed_and_pulled_back_keeps_its_manifest_and_layers()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var server = await RegistryServer.StartAsync();
        var remote = $"docker://{server.HostAndPort}/interop/deep/a/b:v1";

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", remote)).EnsureSuccess();
        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back")}:v1")).EnsureSuccess();

        var back = new OciLayoutReader(workspace.Folder("back"));
        var root = back.Resolve("v1");
        Assert.Equal(OciBlob.ManifestType, (string?)root["mediaType"]);
        Assert.Equal(image.Root.Digest, (string?)root["digest"]);
        Assert.Equal([layer.Digest], back.LayerDigests(image.Root.Digest));
        Assert.Equal(image.Configs[0].Content, back.Blob(image.Configs[0].Digest));
    }

    [Fact]
    public async Task Docker_v2s2_image_pushed_and_pulled_back_keeps_its_layers()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v2");
        await using var server = await RegistryServer.StartAsync();
        var remote = $"docker://{server.HostAndPort}/interop/deep/docker/v2s2:v2";

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v2", remote, "--format", "v2s2")).EnsureSuccess();
        var raw = JsonNode.Parse((await skopeo.InspectAsync(remote, "--raw")).EnsureSuccess().Output)!;
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", (string?)raw["mediaType"]);
        Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", (string?)raw["layers"]![0]!["mediaType"]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/interop/deep/docker/v2s2/manifests/v2");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET manifest: {(int)response.StatusCode}");
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(OciBlob.DigestOf(body), response.Headers.GetValues("Docker-Content-Digest").Single());

        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back")}:v2")).EnsureSuccess();
        var back = new OciLayoutReader(workspace.Folder("back"));
        var manifestDigest = (string)back.Resolve("v2")["digest"]!;
        Assert.Equal([layer.Digest], back.LayerDigests(manifestDigest));
        Assert.Equal(layer.Compressed, back.Blob(layer.Digest));
    }

    [Fact]
    public async Task Inspect_reports_the_pushed_digest_layers_and_platform()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "inspect-me");
        await using var server = await RegistryServer.StartAsync();
        var remote = $"docker://{server.HostAndPort}/interop/inspect/x:inspect-me";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:inspect-me", remote)).EnsureSuccess();

        var info = JsonNode.Parse((await skopeo.InspectAsync(remote)).EnsureSuccess().Output)!;
        Assert.Equal(image.Root.Digest, (string?)info["Digest"]);
        Assert.Equal([layer.Digest], info["Layers"]!.AsArray().Select(l => (string)l!).ToArray());
        Assert.Equal("amd64", (string?)info["Architecture"]);
        Assert.Equal("linux", (string?)info["Os"]);
        Assert.Contains("inspect-me", info["RepoTags"]!.AsArray().Select(t => (string?)t));

        var config = JsonNode.Parse((await skopeo.InspectAsync(remote, "--config", "--raw")).EnsureSuccess().Output)!;
        Assert.Equal(layer.DiffId, (string?)config["rootfs"]!["diff_ids"]![0]);

        var byDigest = JsonNode.Parse((await skopeo.InspectAsync(
            $"docker://{server.HostAndPort}/interop/inspect/x@{image.Root.Digest}", "--raw")).EnsureSuccess().Output)!;
        Assert.Equal(layer.Digest, (string?)byDigest["layers"]![0]!["digest"]);
    }
}
