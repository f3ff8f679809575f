using Dockyard.Core.Metadata;

namespace Dockyard.Local.Sqlite;

/// <summary>The embedded default metadata store: one SQLite file (WAL), every index a table keyed by repository first.</summary>
public sealed class SqliteMetadataStore(SqliteDatabase db) : IMetadataStore
{
    public SqliteMetadataStore(string path) : this(new SqliteDatabase(path))
    {
    }

    public IRepositoryIndex Repositories { get; } = new SqliteRepositoryIndex(db);

    public IBlobLinkIndex BlobLinks { get; } = new SqliteBlobLinkIndex(db);

    public IManifestIndex Manifests { get; } = new SqliteManifestIndex(db);

    public ITagIndex Tags { get; } = new SqliteTagIndex(db);

    public IUploadSessionStore Uploads { get; } = new SqliteUploadSessionStore(db);

    public ICollectionLedger Collection { get; } = new SqliteCollectionLedger(db);
}
