using Dockyard.Conformance.Collection;
using Dockyard.Core.Collection;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared GC history conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlCollectionHistoryConformanceTests(MySqlTestDatabase database) : CollectionHistoryConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<ICollectionHistory> CreateStoreAsync() => new MySqlCollectionHistory(await database.FreshAsync());
}
