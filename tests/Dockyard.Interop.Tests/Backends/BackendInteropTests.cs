using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Interop.Tests.Backends;

/// <summary>
/// Real clients through the whole registry on a remote backend: skopeo pushes and pulls a 300 MiB layer as OCI and
/// as Docker v2s2, copies between repositories (a cross-repository mount), docker pulls and runs busybox, and the
/// <c>cachable</c> read cache serves a second pull from local disk.
/// </summary>
public abstract class BackendInteropTests : BackendRouteTests
{
    private const long LargeLayerSize = 300L << 20;

    /// <summary>Removes a blob from the remote store behind the registry's back (the read cache keeps its copy).</summary>
    protected abstract Task DeleteFromRemoteAsync(string digest);

    [Theory]
    [InlineData("oci")]
    [InlineData("v2s2")]
    public async Task Skopeo_pushes_and_pulls_back_a_300_MiB_layer(string format)
    {
        if (Clients.Skopeo.Find() is not { } skopeo)
        {
            return;
        }
        await using var server = await StartAsync();
        if (server is null)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var (manifest, layer) = LargeLayer.WriteImage(workspace.Folder("src"), "big", LargeLayerSize);
        LargeBlobs.Add(layer);
        var remote = $"docker://{server.HostAndPort}/large/{format}/image:big";
        string[] options = format == "v2s2" ? ["--format", "v2s2"] : ["--preserve-digests"];

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:big", remote, options)).EnsureSuccess();
        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("back")}:big")).EnsureSuccess();

        var raw = JsonNode.Parse((await skopeo.InspectAsync(remote, "--raw")).EnsureSuccess().Output)!;
        var back = new OciLayoutReader(workspace.Folder("back"));
        var pulledManifest = (string)back.Resolve("big")["digest"]!;
        if (format == "oci")
        {
            Assert.Equal(manifest, pulledManifest);
            Assert.Equal(OciBlob.ManifestType, (string?)raw["mediaType"]);
        }
        else
        {
            Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", (string?)raw["mediaType"]);
        }
        Assert.Equal(layer, (string?)raw["layers"]![0]!["digest"]);
        Assert.Equal([layer], back.LayerDigests(pulledManifest));
        var pulledLayer = Path.Combine(workspace.Folder("back"), "blobs", "sha256", layer[7..]);
        Assert.Equal(layer[7..], LargeLayer.Hash(pulledLayer));
        Assert.Equal(new FileInfo(Path.Combine(workspace.Folder("src"), "blobs", "sha256", layer[7..])).Length, new FileInfo(pulledLayer).Length);
    }

    [Fact]
    public async Task Skopeo_copy_between_repositories_mounts_the_blobs_and_keeps_the_digest()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var server = await StartAsync();
        if (server is null)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var source = $"docker://{server.HostAndPort}/copy/source:v1";
        var target = $"docker://{server.HostAndPort}/copy/deep/target:copied";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", source)).EnsureSuccess();

        (await skopeo.CopyAsync(source, target)).EnsureSuccess();

        var info = JsonNode.Parse((await skopeo.InspectAsync(target)).EnsureSuccess().Output)!;
        Assert.Equal(image.Root.Digest, (string?)info["Digest"]);
        using (var mount = await server.Client.PostAsync($"/v2/copy/third/blobs/uploads/?mount={layer.Digest}&from=copy/source", null))
        {
            Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        }
        foreach (var repository in new[] { "copy/deep/target", "copy/third" })
        {
            var blob = await server.Client.GetByteArrayAsync($"/v2/{repository}/blobs/{layer.Digest}");
            Assert.Equal(layer.Digest, OciBlob.DigestOf(blob));
        }
    }

    [Fact]
    public async Task Docker_pulls_and_runs_busybox()
    {
        if (DockerCli.Find() is not { } docker || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var server = await StartAsync();
        if (server is null)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        var reference = $"{server.HostAndPort}/docker/busybox:latest";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{reference}")).EnsureSuccess();
        try
        {
            var pull = (await docker.RunAsync("pull", reference)).EnsureSuccess();
            Assert.Contains(image.Root.Digest, pull.Output);
            var run = (await docker.RunAsync("run", "--rm", "--network", "none", reference, "sh", "-c", "echo backend-$((40+2))")).EnsureSuccess();
            Assert.Equal("backend-42", run.Output.Trim());
        }
        finally
        {
            await docker.RemoveImagesAsync(reference);
        }
    }

    [Fact]
    public async Task With_cachable_a_second_pull_is_served_from_the_local_cache()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        await using var server = await StartAsync(cachable: true);
        if (server is null)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var remote = $"docker://{server.HostAndPort}/cached/busybox:v1";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", remote)).EnsureSuccess();
        var cached = Path.Combine(server.DataPath, "cache", "sha256", layer.Digest[7..]);
        Assert.False(File.Exists(cached), "an upload went into the read cache");

        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("first")}:v1")).EnsureSuccess();
        for (var i = 0; i < 50 && !File.Exists(cached); i++)
        {
            await Task.Delay(100); // admitted once the whole blob has streamed and its digest matched
        }
        Assert.True(File.Exists(cached), $"the first pull left no {cached}");
        Assert.Equal(layer.Compressed, await File.ReadAllBytesAsync(cached));

        // Gone from the remote store: only the cache can serve the second pull.
        await DeleteFromRemoteAsync(layer.Digest);
        (await skopeo.CopyAsync(remote, $"oci:{workspace.Folder("second")}:v1")).EnsureSuccess();

        var second = new OciLayoutReader(workspace.Folder("second"));
        Assert.Equal(image.Root.Digest, (string?)second.Resolve("v1")["digest"]);
        Assert.Equal(layer.Compressed, second.Blob(layer.Digest));
    }
}
