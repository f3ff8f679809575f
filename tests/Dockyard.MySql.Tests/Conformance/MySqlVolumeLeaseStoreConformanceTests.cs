using Dockyard.Conformance.Volumes;
using Dockyard.Core.Volumes;
using Dockyard.MySql.Volumes;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared volume lease conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlVolumeLeaseStoreConformanceTests(MySqlTestDatabase database) : VolumeLeaseStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IVolumeLeaseStore> CreateStoreAsync() => new MySqlVolumeLeaseStore(await database.FreshAsync());
}
