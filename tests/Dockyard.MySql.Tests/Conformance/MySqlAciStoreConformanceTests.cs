using Dockyard.Conformance.Appc;
using Dockyard.Core.Appc;
using Dockyard.MySql.Appc;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared appc ACI conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlAciStoreConformanceTests(MySqlTestDatabase database) : AciStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IAciStore> CreateStoreAsync() => new MySqlAciStore(await database.FreshAsync());
}
