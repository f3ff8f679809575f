using Dockyard.Cluster.Tests.Harness;

namespace Dockyard.Cluster.Tests.MySqlRados;

/// <summary>
/// A cluster on MariaDB + Redis metadata and Ceph RADOS blobs; skipped (with the reason) while DOCKYARD_TEST_MYSQL is
/// unset, i.e. until test.sh starts MariaDB.
/// </summary>
public sealed class MySqlRadosCluster : ClusterFixture
{
    protected override ClusterBackend? FindBackend() => MySqlRadosBackend.Find();
}

/// <summary>The cluster tests on MariaDB + Redis + RADOS.</summary>
public sealed class MySqlRadosClusterTests(MySqlRadosCluster fixture) : ClusterTests<MySqlRadosCluster>(fixture);

/// <summary>The node-failure test on MariaDB + Redis + RADOS, on a cluster of its own.</summary>
public sealed class MySqlRadosNodeFailureTests(MySqlRadosCluster fixture) : NodeFailureTests<MySqlRadosCluster>(fixture);
