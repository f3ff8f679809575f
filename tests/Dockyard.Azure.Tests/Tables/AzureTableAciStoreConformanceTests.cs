using Dockyard.Azure.Tables;
using Dockyard.Conformance.Appc;
using Dockyard.Core.Appc;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared ACI store conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableAciStoreConformanceTests : AciStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IAciStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableAciStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IAciStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
