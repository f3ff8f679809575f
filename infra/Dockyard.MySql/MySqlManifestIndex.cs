using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using MySqlConnector;

namespace Dockyard.MySql;

/// <summary>
/// Manifests and their referrers. <c>touched_at</c> is a manifest's last use for garbage collection: when it was stored
/// (by this server's clock, whatever the record's CreatedAt says), or later touched by a tag, an index or a re-put.
/// </summary>
internal sealed class MySqlManifestIndex(MySqlDatabase db) : IManifestIndex
{
    internal const string Columns = "media_type, size, subject, artifact_type, annotations, created_at";

    public Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(
            $"SELECT {Columns} FROM manifests WHERE repository = @repository AND digest = @digest",
            r => Read(digest, r, 0), cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value));

    /// <summary>A pull by digest: one prepared query for the record and its inline bytes.</summary>
    public Task<StoredManifest?> GetContentAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QueryPreparedSingleAsync(
            $"SELECT {Columns}, content FROM manifests WHERE repository = @repository AND digest = @digest",
            r => ReadStored(digest, r, 0), cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value));

    public async Task<IReadOnlyList<ManifestRecord>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            $"SELECT digest, {Columns} FROM manifests WHERE repository = @repository AND digest > @after ORDER BY digest LIMIT @limit",
            r => Read(Digest.Parse(r.GetString(0)), r, 1), cancellationToken,
            ("@repository", repository.Value), ("@after", after ?? ""), ("@limit", limit));

    public async Task<bool> TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("UPDATE manifests SET touched_at = @now WHERE repository = @repository AND digest = @digest",
            cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value), ("@now", MySqlText.Now())) > 0;

    public async Task<bool> DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken) =>
        await db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("@repository", repository.Value), ("@digest", digest.Value), ("@since", MySqlText.CutOff(untouchedSince))];
            // The DELETE waits for a tagging transaction's lock on the row and then reads its committed touched_at.
            var deleted = await MySqlDatabase.ExecuteAsync(c, t, """
                DELETE FROM manifests WHERE repository = @repository AND digest = @digest AND touched_at < @since
                AND NOT EXISTS (SELECT 1 FROM tags WHERE tags.repository = @repository AND tags.digest = @digest)
                """, cancellationToken, key);
            if (deleted > 0)
            {
                await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM referrers WHERE repository = @repository AND digest = @digest", cancellationToken, key);
            }
            return deleted > 0;
        }, cancellationToken);

    public Task PutAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken) =>
        PutAsync(repository, manifest, content: null, cancellationToken);

    public Task PutAsync(RepositoryName repository, ManifestRecord manifest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutAsync(repository, manifest, content.Length is > 0 and <= StoredManifest.InlineLimit ? content.ToArray() : null, cancellationToken);

    private Task PutAsync(RepositoryName repository, ManifestRecord manifest, byte[]? content, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await MySqlRepositoryIndex.EnsureAsync(c, t, repository, cancellationToken);
            var inserted = await MySqlDatabase.TryInsertAsync(c, t, """
                INSERT INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, created_at, touched_at, content)
                VALUES (@repository, @digest, @media_type, @size, @subject, @artifact_type, @annotations, @created_at, @now, @content)
                """, cancellationToken, ("@repository", repository.Value), ("@digest", manifest.Digest.Value),
                ("@media_type", manifest.MediaType), ("@size", manifest.Size), ("@subject", manifest.Subject?.Value),
                ("@artifact_type", manifest.ArtifactType), ("@annotations", manifest.AnnotationsJson),
                ("@created_at", MySqlText.Time(manifest.CreatedAt)), ("@now", MySqlText.Now()), ("@content", content));
            if (!inserted)
            {
                // A row written before the content column (or without bytes) gets them the next time the manifest is pushed.
                await MySqlDatabase.ExecuteAsync(c, t, """
                    UPDATE manifests SET touched_at = @now, content = COALESCE(content, @content) WHERE repository = @repository AND digest = @digest
                    """, cancellationToken, ("@repository", repository.Value), ("@digest", manifest.Digest.Value), ("@now", MySqlText.Now()),
                    ("@content", content));
            }
            else if (manifest.Subject is { } subject)
            {
                await MySqlDatabase.ExecuteAsync(c, t, """
                    INSERT INTO referrers (repository, subject, digest, media_type, size, artifact_type, annotations)
                    VALUES (@repository, @subject, @digest, @media_type, @size, @artifact_type, @annotations)
                    ON DUPLICATE KEY UPDATE media_type = VALUES(media_type), size = VALUES(size), artifact_type = VALUES(artifact_type),
                        annotations = VALUES(annotations)
                    """, cancellationToken, ("@repository", repository.Value), ("@subject", subject.Value),
                    ("@digest", manifest.Digest.Value), ("@media_type", manifest.MediaType), ("@size", manifest.Size),
                    ("@artifact_type", manifest.ArtifactType), ("@annotations", manifest.AnnotationsJson));
            }
            return inserted;
        }, cancellationToken);

    public async Task<bool> DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("@repository", repository.Value), ("@digest", digest.Value)];
            var deleted = await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM manifests WHERE repository = @repository AND digest = @digest", cancellationToken, key);
            await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM tags WHERE repository = @repository AND digest = @digest", cancellationToken, key);
            await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM referrers WHERE repository = @repository AND digest = @digest", cancellationToken, key);
            return deleted > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            "SELECT digest, media_type, size, artifact_type, annotations FROM referrers WHERE repository = @repository AND subject = @subject ORDER BY digest",
            r => new ReferrerRecord(subject, Digest.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2), MySqlText.Nullable(r, 3), MySqlText.Nullable(r, 4)),
            cancellationToken, ("@repository", repository.Value), ("@subject", subject.Value));

    internal static ManifestRecord Read(Digest digest, MySqlDataReader r, int first) =>
        new(digest, r.GetString(first), r.GetInt64(first + 1), r.IsDBNull(first + 2) ? null : Digest.Parse(r.GetString(first + 2)),
            MySqlText.Nullable(r, first + 3), MySqlText.Nullable(r, first + 4), MySqlText.ReadTime(r, first + 5));

    // The content column follows the record's columns; bytes whose length disagrees with the record are not trusted.
    internal static StoredManifest ReadStored(Digest digest, MySqlDataReader r, int first)
    {
        var record = Read(digest, r, first);
        var content = r.IsDBNull(first + 6) ? null : r.GetFieldValue<byte[]>(first + 6);
        return new StoredManifest(record, content?.Length == record.Size ? content : null);
    }
}
