using Dockyard.Conformance.Collection;
using Dockyard.Core.Collection;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteCollectionHistoryConformanceTests : CollectionHistoryConformance
{
    private readonly TempFolder folder = new();

    protected override Task<ICollectionHistory> CreateStoreAsync() =>
        Task.FromResult<ICollectionHistory>(new SqliteCollectionHistory(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(ICollectionHistory store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
