using Dockyard.Conformance.V1;
using Dockyard.Core.V1;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.V1;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteV1ImageStoreConformanceTests : V1ImageStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IV1ImageStore> CreateStoreAsync() =>
        Task.FromResult<IV1ImageStore>(new SqliteV1ImageStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(IV1ImageStore store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
