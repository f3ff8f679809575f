using Dockyard.Conformance.Metadata;
using Dockyard.Core.Metadata;

namespace Dockyard.MySql.Tests.Conformance;

/// <summary>The shared metadata conformance on MariaDB, in a database of this class's own (emptied before each test).</summary>
public sealed class MySqlMetadataStoreConformanceTests(MySqlTestDatabase database) : MetadataStoreConformance, IClassFixture<MySqlTestDatabase>
{
    protected override async Task<IMetadataStore> CreateStoreAsync() => new MySqlMetadataStore(await database.FreshAsync());

    protected override bool KeepsManifestBytesInline => true;
}
