using Dockyard.Conformance.Events;
using Dockyard.Core.Events;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Events;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteEventQueueConformanceTests : EventQueueConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IEventQueue> CreateQueueAsync() =>
        Task.FromResult<IEventQueue>(new SqliteEventQueue(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyQueueAsync(IEventQueue queue)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
