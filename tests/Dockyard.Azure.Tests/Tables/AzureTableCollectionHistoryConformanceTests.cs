using Dockyard.Azure.Tables;
using Dockyard.Conformance.Collection;
using Dockyard.Core.Collection;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared GC history conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableCollectionHistoryConformanceTests : CollectionHistoryConformance
{
    private AzureTables? tables;

    protected override async Task<ICollectionHistory> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableCollectionHistory(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(ICollectionHistory store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
