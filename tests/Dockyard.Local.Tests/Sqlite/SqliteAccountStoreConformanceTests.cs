using Dockyard.Conformance.Accounts;
using Dockyard.Core.Accounts;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Accounts;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteAccountStoreConformanceTests : AccountStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IAccountStore> CreateStoreAsync() =>
        Task.FromResult<IAccountStore>(new SqliteAccountStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(IAccountStore store)
    {
        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
