using Dockyard.Conformance.Appc;
using Dockyard.Core.Appc;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Appc;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteAciStoreConformanceTests : AciStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IAciStore> CreateStoreAsync() =>
        Task.FromResult<IAciStore>(new SqliteAciStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(IAciStore store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
