using Dockyard.Conformance.Signatures;
using Dockyard.Core.Signatures;
using Dockyard.MySql.Signatures;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared image signature conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlImageSignatureStoreConformanceTests(MySqlTestDatabase database) : ImageSignatureStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IImageSignatureStore> CreateStoreAsync() => new MySqlImageSignatureStore(await database.FreshAsync());
}
