using Dockyard.Core.Blobs;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Ceph.Tests;

/// <summary>Garbage collection on <c>backend = rados</c>: what it deletes is gone from the pool's namespace itself.</summary>
public sealed class RadosCollectionTests : IDisposable
{
    private readonly string nameSpace = TestCluster.NewNamespace();
    private readonly string? conf = TestCluster.ConfFile;

    [Fact]
    public async Task Collected_blobs_leave_no_object_in_the_namespace_and_kept_ones_stay()
    {
        if (conf is null)
        {
            return;
        }
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["dockyard:backend"] = "rados",
            ["rados:conffile"] = conf,
            ["rados:poolname"] = TestCluster.Pool,
            ["rados:namespace"] = nameSpace,
        });

        var outcome = await CollectionScenario.RunAsync(server, "gc/app");

        Assert.Equal(outcome.Gone.Count, outcome.Report.BlobsDeleted);
        var objects = TestCluster.Objects(conf, nameSpace);
        foreach (var digest in outcome.Gone)
        {
            Assert.DoesNotContain(objects, o => o.Contains(digest.Hex, StringComparison.Ordinal));
        }
        foreach (var digest in outcome.Kept)
        {
            Assert.Contains(objects, o => o.Contains(digest.Hex, StringComparison.Ordinal));
        }
        var listed = await server.Services.GetRequiredService<IBlobStore>().ListBlobsAsync(null, 100, CancellationToken.None);
        Assert.Equal(outcome.Kept.Select(d => d.Value).Order(StringComparer.Ordinal), listed.Select(b => b.Digest.Value));
    }

    public void Dispose()
    {
        if (conf is not null)
        {
            TestCluster.Empty(conf, nameSpace);
        }
    }
}
