using Dockyard.Cluster.Tests.Harness;

namespace Dockyard.Cluster.Tests.Azurite;

/// <summary>A cluster on Azure Blob + Azure Tables (Azurite, DOCKYARD_TEST_AZURE_CONNECTION).</summary>
public sealed class AzuriteCluster : ClusterFixture
{
    protected override ClusterBackend? FindBackend() => AzuriteBackend.Find();
}

/// <summary>The cluster tests on Azurite.</summary>
public sealed class AzuriteClusterTests(AzuriteCluster fixture) : ClusterTests<AzuriteCluster>(fixture);

/// <summary>The node-failure test on Azurite, on a cluster of its own.</summary>
public sealed class AzuriteNodeFailureTests(AzuriteCluster fixture) : NodeFailureTests<AzuriteCluster>(fixture);
