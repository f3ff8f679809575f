using Dockyard.Azure.Tables;
using Dockyard.Conformance.P2P;
using Dockyard.Core.P2P;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared P2P tracker store conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTablePeerDistributionStoreConformanceTests : PeerDistributionStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IPeerDistributionStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTablePeerDistributionStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IPeerDistributionStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
