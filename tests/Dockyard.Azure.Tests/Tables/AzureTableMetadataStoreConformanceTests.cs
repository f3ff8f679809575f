using Dockyard.Azure.Tables;
using Dockyard.Conformance.Metadata;
using Dockyard.Core.Metadata;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared metadata conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableMetadataStoreConformanceTests : MetadataStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableMetadataStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IMetadataStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }

}
