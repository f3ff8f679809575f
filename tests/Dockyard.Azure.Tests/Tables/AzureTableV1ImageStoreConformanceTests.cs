using Dockyard.Azure.Tables;
using Dockyard.Conformance.V1;
using Dockyard.Core.V1;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared V1 image store conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableV1ImageStoreConformanceTests : V1ImageStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IV1ImageStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableV1ImageStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IV1ImageStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
