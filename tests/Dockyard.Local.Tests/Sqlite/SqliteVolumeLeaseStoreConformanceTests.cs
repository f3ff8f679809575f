using Dockyard.Conformance.Volumes;
using Dockyard.Core.Volumes;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Volumes;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteVolumeLeaseStoreConformanceTests : VolumeLeaseStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IVolumeLeaseStore> CreateStoreAsync() =>
        Task.FromResult<IVolumeLeaseStore>(new SqliteVolumeLeaseStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(IVolumeLeaseStore store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
