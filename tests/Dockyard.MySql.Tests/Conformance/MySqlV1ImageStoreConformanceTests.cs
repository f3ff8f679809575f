using Dockyard.Conformance.V1;
using Dockyard.Core.V1;
using Dockyard.MySql.V1;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared Docker V1 image conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlV1ImageStoreConformanceTests(MySqlTestDatabase database) : V1ImageStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IV1ImageStore> CreateStoreAsync() => new MySqlV1ImageStore(await database.FreshAsync());
}
