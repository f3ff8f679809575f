using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

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

    private static readonly string TaggedManifest = $"""
        SELECT m.digest, {string.Join(", ", MySqlManifestIndex.Columns.Split(", ").Select(c => "m." + c))} FROM tags t
        JOIN manifests m ON m.repository = t.repository AND m.digest = t.digest
        WHERE t.repository = @repository AND t.tag = @tag
        """;

    /// <summary>The tag and its manifest joined on their primary keys, in one round trip.</summary>
    public Task<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(TaggedManifest, r => MySqlManifestIndex.Read(Digest.Parse(r.GetString(0)), r, 1), cancellationToken,
            ("@repository", repository.Value), ("@tag", tag));

    private static readonly string TaggedManifestContent = TaggedManifest.Replace(" FROM tags t", ", m.content FROM tags t", StringComparison.Ordinal);

    /// <summary>A pull by tag: one prepared query for the tag, its manifest's record and the manifest's inline bytes.</summary>
    public Task<StoredManifest?> GetTaggedManifestContentAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        db.QueryPreparedSingleAsync(TaggedManifestContent, r => MySqlManifestIndex.ReadStored(Digest.Parse(r.GetString(0)), r, 1), cancellationToken,
            ("@repository", repository.Value), ("@tag", tag));
}
