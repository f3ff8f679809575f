using Dockyard.Conformance.P2P;
using Dockyard.Core.P2P;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.P2P;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqlitePeerDistributionStoreConformanceTests : PeerDistributionStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IPeerDistributionStore> CreateStoreAsync() =>
        Task.FromResult<IPeerDistributionStore>(new SqlitePeerDistributionStore(new SqliteDatabase(folder.Combine("metadata.db"))));

    protected override Task DestroyStoreAsync(IPeerDistributionStore store)
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
