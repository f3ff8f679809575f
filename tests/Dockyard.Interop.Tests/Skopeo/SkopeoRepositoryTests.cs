using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Skopeo;

/// <summary>skopeo's repository operations: list-tags, delete, and registry-to-registry copies (cross-repo mounts).</summary>
public sealed class SkopeoRepositoryTests
{
    [Fact]
    public async Task List_tags_returns_every_pushed_tag()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var server = await RegistryServer.StartAsync();
        var repository = $"docker://{server.HostAndPort}/interop/tags/a/b";
        foreach (var tag in new[] { "v1", "v2", "latest" })
        {
            (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"{repository}:{tag}")).EnsureSuccess();
        }

        var listed = JsonNode.Parse((await skopeo.ListTagsAsync(repository)).EnsureSuccess().Output)!;
        Assert.Equal($"{server.HostAndPort}/interop/tags/a/b", (string?)listed["Repository"]);
        Assert.Equal(["latest", "v1", "v2"], listed["Tags"]!.AsArray().Select(t => (string)t!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Deleted_image_can_no_longer_be_inspected()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "doomed");
        await using var server = await RegistryServer.StartAsync();
        var remote = $"docker://{server.HostAndPort}/interop/delete/me:doomed";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:doomed", remote)).EnsureSuccess();
        (await skopeo.InspectAsync(remote)).EnsureSuccess();

        (await skopeo.DeleteAsync(remote)).EnsureSuccess();

        var byTag = await skopeo.InspectAsync(remote);
        Assert.False(byTag.Succeeded, $"inspect by tag after delete succeeded: {byTag.Output}");
        var byDigest = await skopeo.InspectAsync($"docker://{server.HostAndPort}/interop/delete/me@{image.Root.Digest}");
        Assert.False(byDigest.Succeeded, $"inspect by digest after delete succeeded: {byDigest.Output}");
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/interop/delete/me/manifests/{image.Root.Digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Copy_between_repositories_keeps_the_digest_and_makes_the_blobs_readable_in_the_target()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var server = await RegistryServer.StartAsync();
        var source = $"docker://{server.HostAndPort}/interop/copy/source:v1";
        var target = $"docker://{server.HostAndPort}/interop/copy/deep/target/x:copied";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", source)).EnsureSuccess();

        // Same registry on both sides: skopeo mounts the blobs from the source repository instead of uploading them.
        (await skopeo.CopyAsync(source, target)).EnsureSuccess();

        var info = JsonNode.Parse((await skopeo.InspectAsync(target)).EnsureSuccess().Output)!;
        Assert.Equal(image.Root.Digest, (string?)info["Digest"]);
        foreach (var digest in new[] { layer.Digest, image.Configs[0].Digest })
        {
            using var blob = await server.Client.GetAsync($"/v2/interop/copy/deep/target/x/blobs/{digest}");
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(digest, OciBlob.DigestOf(await blob.Content.ReadAsByteArrayAsync()));
        }
        (await skopeo.CopyAsync(target, $"oci:{workspace.Folder("back")}:copied")).EnsureSuccess();
        var back = new OciLayoutReader(workspace.Folder("back"));
        Assert.Equal(image.Root.Digest, (string?)back.Resolve("copied")["digest"]);
        Assert.Equal(layer.Compressed, back.Blob(layer.Digest));
    }

    [Fact]
    public async Task Registry_answers_the_cross_repository_mount_skopeo_asks_for()
    {
        if (Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        await using var server = await RegistryServer.StartAsync();
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{server.HostAndPort}/interop/mount/from:v1")).EnsureSuccess();

        using var mount = await server.Client.PostAsync(
            $"/v2/interop/mount/to/blobs/uploads/?mount={layer.Digest}&from=interop/mount/from", content: null);
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(layer.Digest, mount.Headers.GetValues("Docker-Content-Digest").Single());
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/interop/mount/to/blobs/{layer.Digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(layer.Compressed.Length, head.Content.Headers.ContentLength);
    }
}
