using Dockyard.Azure.Tables;
using Dockyard.Conformance.Accounts;
using Dockyard.Core.Accounts;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared session key store conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableSessionKeyStoreConformanceTests : SessionKeyStoreConformance
{
    private AzureTables? tables;

    protected override async Task<ISessionKeyStore> CreateStoreAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableSessionKeyStore(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyStoreAsync(ISessionKeyStore store)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
