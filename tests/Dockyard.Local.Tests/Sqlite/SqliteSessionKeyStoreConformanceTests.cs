using Dockyard.Conformance.Accounts;
using Dockyard.Core.Accounts;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Accounts;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteSessionKeyStoreConformanceTests : SessionKeyStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<ISessionKeyStore> CreateStoreAsync() =>
        Task.FromResult<ISessionKeyStore>(new SqliteSessionKeyStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(ISessionKeyStore store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
