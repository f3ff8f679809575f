using Dockyard.Conformance.Metadata;
using Dockyard.Core.Metadata;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteMetadataStoreConformanceTests : MetadataStoreConformance
{
    private readonly TempFolder folder = new();

    protected override Task<IMetadataStore> CreateStoreAsync() =>
        Task.FromResult<IMetadataStore>(new SqliteMetadataStore(folder.Combine("metadata.db")));

    protected override bool KeepsManifestBytesInline => true;

    protected override Task DestroyStoreAsync(IMetadataStore store)
    {
        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
