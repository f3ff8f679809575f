using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Cluster.Tests.Harness;
using Dockyard.Interop.Tests.Backends;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Cluster.Tests;

/// <summary>
/// SIGKILL of the node that is receiving a 200 MiB layer through nginx, in the middle of the push: nothing partial
/// becomes visible anywhere, the push retried through nginx succeeds on the survivors, which keep serving, and nginx
/// marks the dead node failed and routes around it. The cluster is this class's own (a node of it dies).
/// </summary>
public abstract class NodeFailureTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private const long LayerSize = 200L << 20;

    /// <summary>What the receiving node must have read before it is killed: a third of the layer, well before its end.</summary>
    private const long KillAfter = 64L << 20;

    [Fact]
    public async Task Kill_9_of_the_node_receiving_a_layer_leaves_nothing_partial_and_the_retried_push_succeeds()
    {
        var cluster = fixture.Require();
        if (Skopeo.Find() is not { } skopeo)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var (manifest, layer) = LargeLayer.WriteImage(workspace.Folder("src"), "big", LayerSize);
        var repository = $"{fixture.User}/killed/big";
        string[] push = ["--preserve-digests", "--dest-creds", $"{fixture.User}:{fixture.Password}"];
        var source = $"oci:{workspace.Folder("src")}:big";
        var target = $"docker://{cluster.Host}/{repository}:big";

        var before = await Task.WhenAll(cluster.Nodes.Select(n => NodeTraffic.ReceivedAsync(n.Port)));
        var pushing = skopeo.CopyAsync(source, target, push);
        var victim = await ReceivingNodeAsync(cluster, before, pushing);
        cluster.Nodes[victim].KillHard();
        var interrupted = await pushing;
        Assert.False(interrupted.Succeeded, "the push finished although the node receiving it was killed");
        var survivors = Enumerable.Range(0, cluster.Nodes.Count).Where(n => n != victim).ToList();
        // nginx writes a request's line after answering it: the interrupted PATCH's 502 can reach the log after skopeo
        // has already seen it. Count from once the log has stopped growing, so "since" holds only later requests.
        var logged = await SettledLogCountAsync(cluster);

        await AssertNothingPartialAsync(cluster, survivors, repository, layer);

        // The client's retry, through nginx: the dead node is left out and the survivors take the whole push.
        (await skopeo.CopyAsync(source, target, push)).EnsureSuccess();
        foreach (var node in survivors)
        {
            var back = workspace.Folder($"node{node}");
            (await skopeo.CopyAsync($"docker://{cluster.NodeHost(node)}/{repository}:big", $"oci:{back}:big",
                $"--src-creds={fixture.User}:{fixture.Password}")).EnsureSuccess();
            Assert.Equal(manifest, (string?)new OciLayoutReader(back).Resolve("big")["digest"]);
            Assert.Equal(layer[7..], LargeLayer.Hash(Path.Combine(back, "blobs", "sha256", layer[7..])));
        }

        // The survivors keep taking pushes and serving pulls through nginx.
        for (var round = 0; round < 3; round++)
        {
            var small = workspace.Folder($"small{round}");
            var (smallManifest, _) = MultiLayerImage.Write(small, "v1", 300_000, 20_000);
            (await skopeo.CopyAsync($"oci:{small}:v1", $"docker://{cluster.Host}/{fixture.User}/after/kill{round}:v1", push)).EnsureSuccess();
            (await skopeo.CopyAsync($"docker://{cluster.Host}/{fixture.User}/after/kill{round}:v1", $"oci:{small}-back:v1",
                $"--src-creds={fixture.User}:{fixture.Password}")).EnsureSuccess();
            Assert.Equal(smallManifest.Digest, (string?)new OciLayoutReader($"{small}-back").Resolve("v1")["digest"]);
        }
        AssertRoutedAround(cluster, victim, logged);
    }

    /// <summary>Waits until one node has read <see cref="KillAfter"/> more bytes than before the push: the one receiving the layer.</summary>
    private static async Task<int> ReceivingNodeAsync(RegistryCluster cluster, long[] before, Task pushing)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && !pushing.IsCompleted)
        {
            for (var node = 0; node < cluster.Nodes.Count; node++)
            {
                if (await NodeTraffic.ReceivedAsync(cluster.Nodes[node].Port) - before[node] > KillAfter)
                {
                    return node;
                }
            }
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException(pushing.IsCompleted ? "the push ended before any node had received a third of the layer" : "no node received the layer within 2 minutes");
    }

    /// <summary>Between the interrupted push and its retry: the layer and the tag are absent, and every stored blob is whole.</summary>
    private async Task AssertNothingPartialAsync(RegistryCluster cluster, IEnumerable<int> survivors, string repository, string layer)
    {
        foreach (var node in survivors)
        {
            using var client = cluster.AuthorizedClient(fixture.User, fixture.Password, node);
            using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{layer}")))
            {
                Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            }
            using var tags = await client.GetAsync($"/v2/{repository}/tags/list");
            if (tags.StatusCode == HttpStatusCode.OK)
            {
                foreach (var tag in JsonDocument.Parse(await tags.Content.ReadAsStringAsync()).RootElement.GetProperty("tags").EnumerateArray())
                {
                    using var manifest = await client.GetAsync($"/v2/{repository}/manifests/{tag.GetString()}");
                    Assert.True(manifest.StatusCode == HttpStatusCode.OK, $"tag {tag} points to a manifest node {node + 1} cannot serve: {(int)manifest.StatusCode}");
                }
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
            }
        }
        var store = cluster.Backend.OpenBlobStore();
        try
        {
            var blobs = await store.ListBlobsAsync(null, 10_000, CancellationToken.None);
            Assert.DoesNotContain(blobs, b => b.Digest.ToString() == layer);
            foreach (var blob in blobs)
            {
                await using var content = await store.OpenReadAsync(blob.Digest, 0, CancellationToken.None);
                Assert.NotNull(content);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 20];
                long size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                }
                Assert.Equal(blob.Size, size);
                Assert.Equal(blob.Digest.ToString(), "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static async Task<int> SettledLogCountAsync(RegistryCluster cluster)
    {
        var count = cluster.Frontend.AccessLog().Count;
        for (var wait = 0; wait < 20; wait++)
        {
            await Task.Delay(250);
            var now = cluster.Frontend.AccessLog().Count;
            if (now == count)
            {
                return now;
            }
            count = now;
        }
        return count;
    }

    /// <summary>nginx disabled the dead node, and since the failure no request failed or was answered by it alone.</summary>
    private static void AssertRoutedAround(RegistryCluster cluster, int victim, int logged)
    {
        Assert.Contains("upstream server temporarily disabled", cluster.Frontend.ErrorLog());
        var dead = $"upstream={cluster.NodeHost(victim)}";
        var since = cluster.Frontend.AccessLog().Skip(logged).ToList();
        Assert.NotEmpty(since);
        foreach (var line in since)
        {
            var fields = line.Split(' ');
            Assert.True(int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) < 500, $"a request failed after the kill: {line}");
            Assert.False(fields[3] == dead, $"the dead node answered: {line}");
        }
    }
}
