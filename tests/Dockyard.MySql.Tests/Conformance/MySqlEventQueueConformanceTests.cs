using Dockyard.Conformance.Events;
using Dockyard.Core.Events;
using Dockyard.MySql.Events;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared event queue conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlEventQueueConformanceTests(MySqlTestDatabase database) : EventQueueConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IEventQueue> CreateQueueAsync() => new MySqlEventQueue(await database.FreshAsync());
}
