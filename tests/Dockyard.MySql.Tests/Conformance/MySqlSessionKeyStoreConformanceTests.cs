using Dockyard.Conformance.Accounts;
using Dockyard.Core.Accounts;
using Dockyard.MySql.Accounts;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared session key store conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlSessionKeyStoreConformanceTests(MySqlTestDatabase database) : SessionKeyStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<ISessionKeyStore> CreateStoreAsync() => new MySqlSessionKeyStore(await database.FreshAsync());
}
