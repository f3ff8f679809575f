using Dockyard.Azure.Tables;
using Dockyard.Conformance.Signatures;
using Dockyard.Core.Signatures;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared signature store conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableImageSignatureStoreConformanceTests : ImageSignatureStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IImageSignatureStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableImageSignatureStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IImageSignatureStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
