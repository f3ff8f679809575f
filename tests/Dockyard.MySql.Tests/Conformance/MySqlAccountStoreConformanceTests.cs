using Dockyard.Conformance.Accounts;
using Dockyard.Core.Accounts;
using Dockyard.MySql.Accounts;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared account conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlAccountStoreConformanceTests(MySqlTestDatabase database) : AccountStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IAccountStore> CreateStoreAsync() => new MySqlAccountStore(await database.FreshAsync());
}
