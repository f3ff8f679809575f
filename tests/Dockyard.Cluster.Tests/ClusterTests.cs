using Dockyard.Cluster.Tests.Harness;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Cluster.Tests;

/// <summary>
/// Three <c>dockyard web</c> nodes behind nginx on one backend (a derived class names it): what one node stored,
/// every node serves; a push spread over the nodes by nginx pulls back byte for byte from each node directly.
/// The protocol, auth and upload-session tests are in the other parts of this class.
/// </summary>
public abstract partial class ClusterTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private string Repository(string name) => $"{fixture.User}/{name}";

    private string[] DestinationCredentials => ["--dest-creds", $"{fixture.User}:{fixture.Password}"];

    private string SourceCredentials => $"--src-creds={fixture.User}:{fixture.Password}";

    [Fact]
    public async Task Skopeo_push_through_nginx_pulls_back_byte_identical_from_each_node()
    {
        var cluster = fixture.Require();
        if (Skopeo.Find() is not { } skopeo)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var (manifest, layers) = MultiLayerImage.Write(workspace.Folder("src"), "v1", 3_000_000, 1_500_000, 200_000, 40_000);
        var repository = Repository("skopeo/multi");

        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", $"docker://{cluster.Host}/{repository}:v1", ["--preserve-digests", .. DestinationCredentials])).EnsureSuccess();

        for (var node = 0; node < cluster.Nodes.Count; node++)
        {
            var back = workspace.Folder($"node{node}");
            (await skopeo.CopyAsync($"docker://{cluster.NodeHost(node)}/{repository}:v1", $"oci:{back}:v1", SourceCredentials)).EnsureSuccess();
            var pulled = new OciLayoutReader(back);
            Assert.Equal(manifest.Digest, (string?)pulled.Resolve("v1")["digest"]);
            Assert.Equal(manifest.Content, pulled.Blob(manifest.Digest));
            Assert.Equal(layers.Select(l => l.Digest), pulled.LayerDigests(manifest.Digest));
            foreach (var layer in layers)
            {
                Assert.Equal(layer.Content, pulled.Blob(layer.Digest));
            }
        }
        // nginx spread the push over the nodes: more than one of them answered its requests.
        Assert.True(UpstreamsOf(cluster, $"/v2/{repository}/").Count > 1, string.Join('\n', cluster.Frontend.AccessLog()));
    }

    [Fact]
    public async Task Docker_push_through_nginx_pulls_from_each_node()
    {
        var cluster = fixture.Require();
        if (DockerCli.Find() is not { } engine || Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer);
        var docker = engine.WithConfig(workspace.Folder("docker-config"));
        var baseImage = $"{cluster.Host}/{Repository("docker/base")}:latest";
        var committed = $"{cluster.Host}/{Repository("docker/committed")}:c1";
        var container = "dockyard-cluster-" + Guid.NewGuid().ToString("N")[..12];
        string[] nodeImages = [.. Enumerable.Range(0, cluster.Nodes.Count).Select(n => $"{cluster.NodeHost(n)}/{Repository("docker/committed")}:c1")];
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:latest", $"docker://{baseImage}", DestinationCredentials)).EnsureSuccess();
        try
        {
            (await docker.LoginAsync(cluster.Host, fixture.User, fixture.Password)).EnsureSuccess();
            (await docker.RunAsync("pull", baseImage)).EnsureSuccess();
            (await docker.RunAsync("run", "--name", container, "--network", "none", baseImage, "sh", "-c", "echo pushed-through-nginx > /marker")).EnsureSuccess();
            (await docker.RunAsync("commit", container, committed)).EnsureSuccess();
            var push = (await docker.RunAsync("push", committed)).EnsureSuccess();
            var digest = System.Text.RegularExpressions.Regex.Match(push.Output, "digest: (sha256:[0-9a-f]{64})").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(digest), push.Output);
            await docker.RunAsync("rm", "--force", container);
            await docker.RemoveImagesAsync(baseImage, committed);

            for (var node = 0; node < cluster.Nodes.Count; node++)
            {
                (await docker.LoginAsync(cluster.NodeHost(node), fixture.User, fixture.Password)).EnsureSuccess();
                var pull = (await docker.RunAsync("pull", nodeImages[node])).EnsureSuccess();
                Assert.Contains(digest, pull.Output);
                var run = (await docker.RunAsync("run", "--rm", "--network", "none", nodeImages[node], "cat", "/marker")).EnsureSuccess();
                Assert.Equal("pushed-through-nginx", run.Output.Trim());
                await docker.RemoveImagesAsync(nodeImages[node]);
            }
        }
        finally
        {
            await docker.RunAsync("rm", "--force", container);
            await docker.RemoveImagesAsync([baseImage, committed, .. nodeImages]);
        }
    }

    /// <summary>The distinct upstream addresses nginx logged for requests whose path starts with <paramref name="prefix"/>.</summary>
    private static HashSet<string> UpstreamsOf(RegistryCluster cluster, string prefix) =>
        cluster.Frontend.AccessLog()
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length >= 4 && fields[1].StartsWith(prefix, StringComparison.Ordinal))
            .Select(fields => fields[3]["upstream=".Length..].TrimEnd(','))
            .ToHashSet();
}
