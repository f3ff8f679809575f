using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>Real clients through the real host: skopeo and the docker engine over V2, the V1 sequence, appc push and fetch.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed partial class InteropTests(OpenHostFixture fixture) : IClassFixture<OpenHostFixture>
{
    [Fact]
    public async Task Skopeo_pushes_copies_and_pulls_back_an_image()
    {
        var host = fixture.Host;
        if (Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var remote = $"docker://{host.HostAndPort}/fn/skopeo/busybox:v1";

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", remote, "--preserve-digests")).EnsureSuccess();
        (await skopeo.CopyAsync(remote, $"docker://{host.HostAndPort}/fn/skopeo/copy:v2")).EnsureSuccess();
        (await skopeo.CopyAsync($"docker://{host.HostAndPort}/fn/skopeo/copy:v2", $"oci:{workspace.Folder("back")}:v2")).EnsureSuccess();

        var back = new OciLayoutReader(workspace.Folder("back"));
        Assert.Equal(image.Root.Digest, (string?)back.Resolve("v2")["digest"]);
        Assert.Equal(layer.Compressed, back.Blob(layer.Digest));
        var tags = JsonNode.Parse((await skopeo.ListTagsAsync($"docker://{host.HostAndPort}/fn/skopeo/busybox")).EnsureSuccess().Output)!;
        Assert.Equal(["v1"], tags["Tags"]!.AsArray().Select(t => (string?)t));
    }

    [Fact]
    public async Task Docker_pulls_runs_and_pushes_a_retagged_image()
    {
        var host = fixture.Host;
        if (DockerCli.Find() is not { } docker || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        var original = $"{host.HostAndPort}/fn/docker/busybox:latest";
        var copy = $"{host.HostAndPort}/fn/docker/pushed:v2";
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{original}")).EnsureSuccess();
        try
        {
            Assert.Contains(image.Root.Digest, (await docker.RunAsync("pull", original)).EnsureSuccess().Output);
            var run = (await docker.RunAsync("run", "--rm", "--network", "none", original, "sh", "-c", "echo functions-$((40+2))")).EnsureSuccess();
            Assert.Equal("functions-42", run.Output.Trim());

            (await docker.RunAsync("tag", original, copy)).EnsureSuccess();
            var push = (await docker.RunAsync("push", copy)).EnsureSuccess();
            var pushed = push.Output.Split(' ', '\n').Single(w => w.StartsWith("sha256:", StringComparison.Ordinal) && w.Length == 71);
            await docker.RemoveImagesAsync(original, copy);
            Assert.Contains(pushed, (await docker.RunAsync("pull", copy)).EnsureSuccess().Output);
            var inspected = JsonNode.Parse((await skopeo.InspectAsync($"docker://{copy}")).EnsureSuccess().Output)!;
            Assert.Equal(pushed, (string?)inspected["Digest"]);
        }
        finally
        {
            await docker.RemoveImagesAsync(original, copy);
        }
    }

    [Fact]
    public async Task V1_push_then_pull_returns_the_same_layers()
    {
        var host = fixture.Host;
        if (TestWorkspace.Busybox() is not { } busybox)
        {
            return;
        }
        var root = V1Image.Create(null, busybox.Tar, gzip: true, "#(nop) ADD file:busybox in /");
        var child = V1Image.Create(root.Id, V1Image.TarOf(("etc/motd", "pushed through the Functions host\n")), gzip: false, "echo motd > /etc/motd");
        var client = new V1Client(host.Client);

        await client.PushAsync("fnlegacy/busybox", "v1", [root, child]);
        var pulled = await client.PullAsync("fnlegacy/busybox", "v1");

        Assert.Equal([root.Id, child.Id], pulled.Select(p => p.Id));
        Assert.Equal(root.Layer, pulled[0].Layer);
        Assert.Equal(child.Layer, pulled[1].Layer);
    }

    [Fact]
    public async Task Signed_aci_is_pushed_discovered_and_fetched()
    {
        var host = fixture.Host;
        if (AciBuilder.GpgMissing)
        {
            return;
        }
        const string repository = "fnappc/busybox";
        const string name = OpenHostFixture.Domain + "/" + repository;
        using var gpg = new AciBuilder();
        var key = await gpg.InitAsync();
        var client = host.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/appc/{repository}/pubkeys", new StringContent(key))).StatusCode);
        var manifest = AciBuilder.Manifest(name, "1.0.0");
        var aci = AciBuilder.Build(manifest);
        var asc = await gpg.SignAsync(aci);

        var (status, body) = await AciBuilder.PushAsync(client, repository, "busybox-1.0.0-linux-amd64.aci", aci, asc, manifest);
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        // rkt's meta discovery at the root: the discovery function, not v1/v2/uam.
        var html = await client.GetStringAsync($"/{repository}?ac-discovery=1");
        var template = WebUtility.HtmlDecode(DiscoveryMeta().Match(html).Groups["template"].Value);
        var fetch = template.Replace("{name}", name).Replace("{version}", "1.0.0").Replace("{os}", "linux").Replace("{arch}", "amd64");
        Assert.Equal(aci, await client.GetByteArrayAsync(fetch.Replace("{ext}", "aci")));
        Assert.Equal(asc, await client.GetByteArrayAsync(fetch.Replace("{ext}", "aci.asc")));
        Assert.Contains("discovery", host.HttpInvocations());
    }

    [GeneratedRegex("""<meta name="ac-discovery" content="[^ "]+ (?<template>[^"]+)">""")]
    private static partial Regex DiscoveryMeta();
}
