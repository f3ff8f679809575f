using Dockyard.Azure.Tables;
using Dockyard.Conformance.Volumes;
using Dockyard.Core.Volumes;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared volume lease store conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableVolumeLeaseStoreConformanceTests : VolumeLeaseStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IVolumeLeaseStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableVolumeLeaseStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IVolumeLeaseStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
