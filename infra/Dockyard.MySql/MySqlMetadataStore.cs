using Dockyard.Core.Metadata;

namespace Dockyard.MySql;

/// <summary>Registry metadata on a MySQL/MariaDB server: every index a table keyed by repository first (schema in <see cref="Schema.MySqlMigrations"/>).</summary>
public sealed class MySqlMetadataStore(MySqlDatabase db) : IMetadataStore
{
    public IRepositoryIndex Repositories { get; } = new MySqlRepositoryIndex(db);

    public IBlobLinkIndex BlobLinks { get; } = new MySqlBlobLinkIndex(db);

    public IManifestIndex Manifests { get; } = new MySqlManifestIndex(db);

    public ITagIndex Tags { get; } = new MySqlTagIndex(db);

    public IUploadSessionStore Uploads { get; } = new MySqlUploadSessionStore(db);

    public ICollectionLedger Collection { get; } = new MySqlCollectionLedger(db);
}
