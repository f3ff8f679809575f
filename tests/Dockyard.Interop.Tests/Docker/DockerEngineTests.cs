using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Docker;

/// <summary>
/// A real docker engine pulls, runs and pushes images through Dockyard. The images are put in with skopeo (the engine
/// has no network to build from); every test removes the images it made from the engine.
/// </summary>
public sealed class DockerEngineTests
{
    [Fact]
    public async Task Docker_pulls_and_runs_an_image_pushed_by_skopeo()
    {
        if (DockerCli.Find() is not { } docker || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        await using var server = await RegistryServer.StartAsync();
        var reference = $"{server.HostAndPort}/test/busybox:latest";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{reference}")).EnsureSuccess();
        try
        {
            var pull = (await docker.RunAsync("pull", reference)).EnsureSuccess();
            Assert.Contains(image.Root.Digest, pull.Output);

            var run = (await docker.RunAsync("run", "--rm", "--network", "none", reference, "echo", "hello")).EnsureSuccess();
            Assert.Equal("hello", run.Output.Trim());

            var digests = (await docker.RunAsync("image", "inspect", "--format", "{{json .RepoDigests}}", reference)).EnsureSuccess();
            Assert.Contains($"{server.HostAndPort}/test/busybox@{image.Root.Digest}", digests.Output);
        }
        finally
        {
            await docker.RemoveImagesAsync(reference);
        }
    }

    [Fact]
    public async Task Docker_push_of_a_retagged_image_lands_in_another_repository_and_pulls_back()
    {
        if (DockerCli.Find() is not { } docker || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        await using var server = await RegistryServer.StartAsync();
        var original = $"{server.HostAndPort}/test/busybox:latest";
        var copy = $"{server.HostAndPort}/test/pushed/by/docker:v2";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{original}")).EnsureSuccess();
        try
        {
            (await docker.RunAsync("pull", original)).EnsureSuccess();
            (await docker.RunAsync("tag", original, copy)).EnsureSuccess();
            var push = (await docker.RunAsync("push", copy)).EnsureSuccess();
            var pushedDigest = push.Output.Split(' ', '\n').Single(w => w.StartsWith("sha256:", StringComparison.Ordinal) && w.Length == 71);

            using var tags = await server.Client.GetAsync("/v2/test/pushed/by/docker/tags/list");
            Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
            var listed = JsonNode.Parse(await tags.Content.ReadAsStringAsync())!;
            Assert.Equal("test/pushed/by/docker", (string?)listed["name"]);
            Assert.Equal(["v2"], listed["tags"]!.AsArray().Select(t => (string)t!).ToArray());

            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/test/pushed/by/docker/manifests/v2");
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            using var manifest = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Equal(pushedDigest, OciBlob.DigestOf(await manifest.Content.ReadAsByteArrayAsync()));

            await docker.RemoveImagesAsync(original, copy);
            var pullBack = (await docker.RunAsync("pull", copy)).EnsureSuccess();
            Assert.Contains(pushedDigest, pullBack.Output);
            var run = (await docker.RunAsync("run", "--rm", "--network", "none", copy, "sh", "-c", "echo pushed-$((20+22))")).EnsureSuccess();
            Assert.Equal("pushed-42", run.Output.Trim());
        }
        finally
        {
            await docker.RemoveImagesAsync(original, copy);
        }
    }

    [Fact]
    public async Task Docker_pulls_the_amd64_image_of_a_multi_arch_index_and_runs_it()
    {
        if (DockerCli.Find() is not { } docker || Clients.Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteMultiArch(workspace.Folder("src"), layer, "multi");
        await using var server = await RegistryServer.StartAsync();
        var reference = $"{server.HostAndPort}/test/multi/busybox:multi";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:multi", $"docker://{reference}", "--all")).EnsureSuccess();
        try
        {
            var pull = (await docker.RunAsync("pull", reference)).EnsureSuccess();
            Assert.Contains(image.Root.Digest, pull.Output);

            var inspect = (await docker.RunAsync("image", "inspect", "--format", "{{.Os}}/{{.Architecture}} {{.Id}}", reference)).EnsureSuccess();
            Assert.Equal($"linux/amd64 {image.Configs[0].Digest}", inspect.Output.Trim());

            var run = (await docker.RunAsync("run", "--rm", "--network", "none", reference, "uname", "-m")).EnsureSuccess();
            Assert.Equal("x86_64", run.Output.Trim());
        }
        finally
        {
            await docker.RemoveImagesAsync(reference);
        }
    }
}
