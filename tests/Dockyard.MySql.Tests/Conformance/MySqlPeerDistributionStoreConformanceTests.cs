using Dockyard.Conformance.P2P;
using Dockyard.Core.P2P;
using Dockyard.MySql.P2P;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared P2P tracker store conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlPeerDistributionStoreConformanceTests(MySqlTestDatabase database) : PeerDistributionStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IPeerDistributionStore> CreateStoreAsync() => new MySqlPeerDistributionStore(await database.FreshAsync());
}
