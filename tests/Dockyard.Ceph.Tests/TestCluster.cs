using Dockyard.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // the fault test restarts the shared OSD

namespace Dockyard.Ceph.Tests;

/// <summary>
/// The private cluster that infra/scripts/ceph-cluster.sh starts (test.sh exports DOCKYARD_TEST_CEPH_CONF and
/// DOCKYARD_TEST_CEPH_POOL). Each store gets its own RADOS namespace, emptied afterwards.
/// </summary>
internal static class TestCluster
{
    /// <summary>ceph.conf of the test cluster; null (test skipped, or failed on CI) when it is not running.</summary>
    public static string? ConfFile
    {
        get
        {
            var conf = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_CONF");
            if (string.IsNullOrWhiteSpace(conf))
            {
                RequiredTool.Missing("ceph", "is not running (DOCKYARD_TEST_CEPH_CONF is unset; infra/scripts/ceph-cluster.sh start, or ./test.sh, starts it)");
                return null;
            }
            return conf;
        }
    }

    public static string Pool => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_POOL") is { Length: > 0 } p ? p : "dockyard";

    public static RadosBlobStoreOptions Options(string conf, string nameSpace, int chunkSize = RadosBlobStoreOptions.DefaultChunkSize) => new()
    {
        ConfFile = conf,
        PoolName = Pool,
        ChunkSize = chunkSize,
        Namespace = nameSpace,
        Timeout = TimeSpan.FromSeconds(20),
    };

    public static string NewNamespace() => "test-" + Guid.NewGuid().ToString("N");

    /// <summary>A pool handle in <paramref name="nameSpace"/>, to look at or remove the raw objects.</summary>
    public static (RadosCluster Cluster, RadosPool Pool) Open(string conf, string nameSpace)
    {
        var cluster = RadosCluster.Connect(conf, null, "admin", TimeSpan.FromSeconds(20));
        return (cluster, cluster.OpenPool(Pool, nameSpace));
    }

    /// <summary>Every object in <paramref name="nameSpace"/>.</summary>
    public static IReadOnlyList<string> Objects(string conf, string nameSpace)
    {
        var (cluster, pool) = Open(conf, nameSpace);
        using (cluster)
        using (pool)
        {
            return pool.ListObjects();
        }
    }

    /// <summary>Removes every object in <paramref name="nameSpace"/>.</summary>
    public static void Empty(string conf, string nameSpace)
    {
        var (cluster, pool) = Open(conf, nameSpace);
        using (cluster)
        using (pool)
        {
            foreach (var name in pool.ListObjects())
            {
                pool.Remove(name);
            }
        }
    }

    /// <summary>Runs <c>ceph-cluster.sh stop-osd|start-osd</c> against the running cluster's state folder.</summary>
    public static async Task OsdAsync(string conf, string command)
    {
        var script = Path.Combine(RepositoryRoot.Path, "infra", "scripts", "ceph-cluster.sh");
        var state = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(conf)))!;
        var (code, output, error) = await RequiredTool.RunAsync(script, [command],
            new Dictionary<string, string> { ["DOCKYARD_STATE"] = state }, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"ceph-cluster.sh {command} failed: {output}{error}");
    }
}
