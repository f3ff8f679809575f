using Dockyard.Core.Names;
using Dockyard.Core.V1;
using MySqlConnector;

namespace Dockyard.MySql.V1;

/// <summary>Docker Registry V1 images (per repository), repository image lists and V1 tags in the same database as the registry metadata.</summary>
public sealed class MySqlV1ImageStore(MySqlDatabase db) : IV1ImageStore
{
    private const string Columns = "id, image_json, parent, layer_digest, layer_size, diff_id, gzip, payload_checksum, checksum, complete, created_at";
    private const string Values = "@id, @json, @parent, @layer_digest, @layer_size, @diff_id, @gzip, @payload_checksum, @checksum, @complete, @created_at";

    private const string UpdateIncomplete = """
        UPDATE v1_repository_image_records SET image_json = @json, parent = @parent, layer_digest = @layer_digest, layer_size = @layer_size,
            diff_id = @diff_id, gzip = @gzip, payload_checksum = @payload_checksum, checksum = @checksum, complete = @complete,
            created_at = @created_at
        WHERE repository = @repository AND id = @id AND complete = 0
        """;

    public Task<V1Image?> GetImageAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM v1_repository_image_records WHERE repository = @repository AND id = @id", Read, cancellationToken,
            ("@repository", repository.Value), ("@id", id));

    /// <summary>A new image, or the replacement of an incomplete one: an insert, else the conditional update (a complete image stays).</summary>
    public async Task<bool> TryPutIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken) =>
        await db.TryInsertAsync($"INSERT INTO v1_repository_image_records (repository, {Columns}) VALUES (@repository, {Values})",
            cancellationToken, Parameters(repository, image))
        || await db.ExecuteAsync(UpdateIncomplete, cancellationToken, Parameters(repository, image)) > 0;

    public async Task<bool> TryUpdateIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(UpdateIncomplete, cancellationToken, Parameters(repository, image)) > 0;

    public Task AddRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT INTO v1_repository_images (repository, image) VALUES (@repository, @image) ON DUPLICATE KEY UPDATE image = image",
            cancellationToken, ("@repository", repository.Value), ("@image", imageId));

    public async Task<IReadOnlyList<string>> ListRepositoryImagesAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT image FROM v1_repository_images WHERE repository = @repository AND image > @after ORDER BY image LIMIT @limit",
            r => r.GetString(0), cancellationToken, ("@repository", repository.Value), ("@after", after ?? ""), ("@limit", limit));

    public async Task<IReadOnlyList<string>> ListImageRepositoriesAsync(string imageId, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository FROM v1_repository_images WHERE image = @image AND repository > @after ORDER BY repository LIMIT @limit",
            r => r.GetString(0), cancellationToken, ("@image", imageId), ("@after", after ?? ""), ("@limit", limit));

    public Task<string?> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT image FROM v1_tags WHERE repository = @repository AND tag = @tag",
            r => r.GetString(0), cancellationToken, ("@repository", repository.Value), ("@tag", tag));

    public Task SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT INTO v1_tags (repository, tag, image) VALUES (@repository, @tag, @image) ON DUPLICATE KEY UPDATE image = VALUES(image)",
            cancellationToken, ("@repository", repository.Value), ("@tag", tag), ("@image", imageId));

    public async Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM v1_tags WHERE repository = @repository AND tag = @tag",
            cancellationToken, ("@repository", repository.Value), ("@tag", tag)) > 0;

    public async Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT tag, image FROM v1_tags WHERE repository = @repository AND tag > @after ORDER BY tag LIMIT @limit",
            r => new V1Tag(r.GetString(0), r.GetString(1)), cancellationToken, ("@repository", repository.Value), ("@after", after ?? ""), ("@limit", limit));

    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.DeleteRepositoryRowsAsync(repository.Value, cancellationToken, "v1_repository_image_records", "v1_repository_images", "v1_tags");

    private static V1Image Read(MySqlDataReader r)
    {
        V1Layer? layer = r.IsDBNull(3) ? null
            : new V1Layer(Digest.Parse(r.GetString(3)), r.GetInt64(4), Digest.Parse(r.GetString(5)), r.GetInt32(6) != 0, r.GetString(7));
        return new V1Image(r.GetString(0), r.GetString(1), MySqlText.Nullable(r, 2), layer, MySqlText.Nullable(r, 8),
            r.GetInt32(9) != 0, MySqlText.ReadTime(r, 10));
    }

    private static (string, object?)[] Parameters(RepositoryName repository, V1Image image) =>
    [
        ("@repository", repository.Value), ("@id", image.Id), ("@json", image.Json), ("@parent", image.Parent),
        ("@layer_digest", image.Layer?.Digest.Value), ("@layer_size", image.Layer?.Size), ("@diff_id", image.Layer?.DiffId.Value),
        ("@gzip", image.Layer is { } l ? (l.Gzip ? 1 : 0) : null), ("@payload_checksum", image.Layer?.PayloadChecksum), ("@checksum", image.Checksum),
        ("@complete", image.Complete ? 1 : 0), ("@created_at", MySqlText.Time(image.CreatedAt)),
    ];
}
