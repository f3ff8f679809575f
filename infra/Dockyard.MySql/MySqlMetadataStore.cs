using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql;

/// <summary>
/// Registry metadata on a MySQL/MariaDB server: every index a table keyed by repository first (schema in
/// <see cref="Schema.MySqlMigrations"/>). Pulled manifests are kept in this node's cache of up to
/// <paramref name="manifestCacheBytes"/> (see <see cref="MySqlManifestCache"/>): a pull still asks the server whether
/// the tag or manifest is there, and reads the record and bytes only when they are not cached.
/// </summary>
public sealed class MySqlMetadataStore(MySqlDatabase db, long manifestCacheBytes = MySqlStoreOptions.DefaultManifestCacheBytes) : IMetadataStore
{
    private readonly MySqlManifestIndex manifests = new(db, new MySqlManifestCache(manifestCacheBytes));

    public IRepositoryIndex Repositories { get; } = new MySqlRepositoryIndex(db);

    public IBlobLinkIndex BlobLinks { get; } = new MySqlBlobLinkIndex(db);

    public IManifestIndex Manifests => manifests;

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

    /// <summary>The tag's manifest row: its digest and <c>created_at</c>, which tell whether this node's cached copy is still the manifest.</summary>
    private const string TaggedRow = """
        SELECT t.digest, m.created_at FROM tags t
        JOIN manifests m ON m.repository = t.repository AND m.digest = t.digest
        WHERE t.repository = @repository AND t.tag = @tag
        """;

    /// <summary>
    /// A pull by tag: one prepared query for the tag's manifest row, then the manifest from this node's cache when it
    /// is that row's, else a second prepared query for its record and inline bytes.
    /// </summary>
    public async Task<StoredManifest?> GetTaggedManifestContentAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.QueryPreparedSingleAsync(TaggedRow, r => new ManifestRow(Digest.Parse(r.GetString(0)), MySqlText.ReadTime(r, 1)), cancellationToken,
            ("@repository", repository.Value), ("@tag", tag)) is { } row
            ? await manifests.GetContentAsync(repository, row, cancellationToken)
            : null;
}
