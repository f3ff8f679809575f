using Dockyard.Conformance.Signatures;
using Dockyard.Core.Signatures;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Signatures;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteImageSignatureStoreConformanceTests : ImageSignatureStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IImageSignatureStore> CreateStoreAsync() =>
        Task.FromResult<IImageSignatureStore>(new SqliteImageSignatureStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(IImageSignatureStore store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
