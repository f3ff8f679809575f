using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

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

    private static readonly string RecordColumns = SqliteManifestIndex.ColumnsOf("m");

    private static readonly string TaggedManifest = $"""
        SELECT m.digest, {RecordColumns} FROM tags t
        JOIN manifests m ON m.repository = t.repository AND m.digest = t.digest
        WHERE t.repository = $repository AND t.tag = $tag
        """;

    public Task<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(TaggedManifest, r => SqliteManifestIndex.Read(Digest.Parse(r.GetString(0)), r, 1), cancellationToken,
            ("$repository", repository.Value), ("$tag", tag));

    private static readonly string ContentRowColumns = SqliteManifestIndex.ColumnsOf("b");

    // Two trees when the tag points at a content row holding its digest (see ManifestBytes); otherwise, for rows an
    // earlier version wrote or a manifest kept without bytes, three: tag, record, bytes. UNION ALL with LIMIT 1 stops
    // after the first part's row, so the second runs only when the first found none.
    private static readonly string TaggedManifestContent = $"""
        SELECT t.digest, {ContentRowColumns}, b.content FROM tags t
        JOIN manifest_bytes b ON b.id = t.content_id AND b.digest = t.digest
        WHERE t.repository = $repository AND t.tag = $tag
        UNION ALL
        SELECT m.digest, {RecordColumns}, {ManifestBytes.Content} FROM tags t
        JOIN manifests m ON m.repository = t.repository AND m.digest = t.digest
        {ManifestBytes.Join}
        WHERE t.repository = $repository AND t.tag = $tag
        LIMIT 1
        """;

    public Task<StoredManifest?> GetTaggedManifestContentAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(TaggedManifestContent, r => SqliteManifestIndex.ReadStored(Digest.Parse(r.GetString(0)), r, 1), cancellationToken,
            ("$repository", repository.Value), ("$tag", tag));
}
