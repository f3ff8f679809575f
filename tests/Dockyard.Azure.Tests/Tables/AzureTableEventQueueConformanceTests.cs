using Dockyard.Azure.Tables;
using Dockyard.Conformance.Events;
using Dockyard.Core.Events;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The shared event queue conformance against Azurite; every test has tables of its own.</summary>
public sealed class AzureTableEventQueueConformanceTests : EventQueueConformance
{
    private AzureTables? tables;

    protected override async Task<IEventQueue> CreateQueueAsync()
    {
        tables = await Azurite.CreateTablesAsync();
        return new AzureTableEventQueue(tables ?? throw new InvalidOperationException("SKIPPED: azurite is not running"));
    }

    protected override async Task DestroyQueueAsync(IEventQueue queue)
    {
        if (tables is not null)
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
