using Dockyard.Core.Names;
using Dockyard.Core.V1;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite.V1;

/// <summary>
/// Docker Registry V1 images (per repository), repository image lists and V1 tags in the same SQLite file as the
/// registry metadata. Opening a file written before images were per repository moves them (see <see cref="V1SchemaMigration"/>).
/// </summary>
public sealed class SqliteV1ImageStore : IV1ImageStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS v1_repository_image_records (
            repository TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, parent TEXT, layer_digest TEXT, layer_size INTEGER,
            diff_id TEXT, gzip INTEGER, payload_checksum TEXT, checksum TEXT, complete INTEGER NOT NULL,
            created_at TEXT NOT NULL, PRIMARY KEY (repository, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS v1_repository_images (
            repository TEXT NOT NULL, image TEXT NOT NULL, PRIMARY KEY (repository, image)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS v1_repository_images_by_image ON v1_repository_images (image, repository);
        CREATE TABLE IF NOT EXISTS v1_tags (
            repository TEXT NOT NULL, tag TEXT NOT NULL, image TEXT NOT NULL, PRIMARY KEY (repository, tag)) WITHOUT ROWID;
        """;

    private const string Columns = "id, json, parent, layer_digest, layer_size, diff_id, gzip, payload_checksum, checksum, complete, created_at";
    private const string Values = "$id, $json, $parent, $layer_digest, $layer_size, $diff_id, $gzip, $payload_checksum, $checksum, $complete, $created_at";

    private readonly SqliteDatabase db;

    public SqliteV1ImageStore(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
        // Only a file written before images were per repository still has the global table; others skip the write.
        db.EnsureSchemaIfTableExists("v1_images", V1SchemaMigration.MoveGlobalImages);
    }

    public Task<V1Image?> GetImageAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM v1_repository_image_records WHERE repository = $repository AND id = $id", Read, cancellationToken,
            ("$repository", repository.Value), ("$id", id));

    public async Task<bool> TryPutIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken) =>
        await db.ExecuteAsync($"""
            INSERT INTO v1_repository_image_records (repository, {Columns}) VALUES ($repository, {Values})
            ON CONFLICT (repository, id) DO UPDATE SET json = excluded.json, parent = excluded.parent, layer_digest = excluded.layer_digest,
                layer_size = excluded.layer_size, diff_id = excluded.diff_id, gzip = excluded.gzip,
                payload_checksum = excluded.payload_checksum, checksum = excluded.checksum, complete = excluded.complete,
                created_at = excluded.created_at
            WHERE v1_repository_image_records.complete = 0
            """, cancellationToken, Parameters(repository, image)) > 0;

    public async Task<bool> TryUpdateIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            UPDATE v1_repository_image_records SET json = $json, parent = $parent, layer_digest = $layer_digest, layer_size = $layer_size,
                diff_id = $diff_id, gzip = $gzip, payload_checksum = $payload_checksum, checksum = $checksum, complete = $complete,
                created_at = $created_at
            WHERE repository = $repository AND id = $id AND complete = 0
            """, cancellationToken, Parameters(repository, image)) > 0;

    public Task AddRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT OR IGNORE INTO v1_repository_images (repository, image) VALUES ($repository, $image)",
            cancellationToken, ("$repository", repository.Value), ("$image", imageId));

    public async Task<IReadOnlyList<string>> ListRepositoryImagesAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT image FROM v1_repository_images WHERE repository = $repository AND image > $after ORDER BY image LIMIT $limit",
            r => r.GetString(0), cancellationToken, ("$repository", repository.Value), ("$after", after ?? ""), ("$limit", limit));

    public async Task<IReadOnlyList<string>> ListImageRepositoriesAsync(string imageId, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository FROM v1_repository_images WHERE image = $image AND repository > $after ORDER BY repository LIMIT $limit",
            r => r.GetString(0), cancellationToken, ("$image", imageId), ("$after", after ?? ""), ("$limit", limit));

    public Task<string?> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT image FROM v1_tags WHERE repository = $repository AND tag = $tag",
            r => r.GetString(0), cancellationToken, ("$repository", repository.Value), ("$tag", tag));

    public Task SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT OR REPLACE INTO v1_tags (repository, tag, image) VALUES ($repository, $tag, $image)",
            cancellationToken, ("$repository", repository.Value), ("$tag", tag), ("$image", imageId));

    public async Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM v1_tags WHERE repository = $repository AND tag = $tag",
            cancellationToken, ("$repository", repository.Value), ("$tag", tag)) > 0;

    public async Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT tag, image FROM v1_tags WHERE repository = $repository AND tag > $after ORDER BY tag LIMIT $limit",
            r => new V1Tag(r.GetString(0), r.GetString(1)), cancellationToken, ("$repository", repository.Value), ("$after", after ?? ""), ("$limit", limit));

    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.DeleteRepositoryRowsAsync(repository.Value, cancellationToken, "v1_repository_image_records", "v1_repository_images", "v1_tags");

    private static V1Image Read(SqliteDataReader r)
    {
        V1Layer? layer = r.IsDBNull(3) ? null
            : new V1Layer(Digest.Parse(r.GetString(3)), r.GetInt64(4), Digest.Parse(r.GetString(5)), r.GetInt64(6) != 0, r.GetString(7));
        return new V1Image(r.GetString(0), r.GetString(1), SqliteText.Nullable(r, 2), layer, SqliteText.Nullable(r, 8),
            r.GetInt64(9) != 0, SqliteText.ParseTime(r.GetString(10)));
    }

    private static (string, object?)[] Parameters(RepositoryName repository, V1Image image) =>
    [
        ("$repository", repository.Value), ("$id", image.Id), ("$json", image.Json), ("$parent", image.Parent),
        ("$layer_digest", image.Layer?.Digest.Value), ("$layer_size", image.Layer?.Size), ("$diff_id", image.Layer?.DiffId.Value),
        ("$gzip", image.Layer is { } l ? (l.Gzip ? 1 : 0) : null), ("$payload_checksum", image.Layer?.PayloadChecksum), ("$checksum", image.Checksum),
        ("$complete", image.Complete ? 1 : 0), ("$created_at", SqliteText.Time(image.CreatedAt)),
    ];
}
