using Dockyard.Azure.Tables;
using Dockyard.Conformance.Accounts;
using Dockyard.Core.Accounts;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared account conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableAccountStoreConformanceTests : AccountStoreConformance
{
    private AzureTables? tables;

    protected override async Task<IAccountStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableAccountStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(IAccountStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
