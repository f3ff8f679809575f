using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteManifestIndex : IManifestIndex
{
    internal const string Columns = "media_type, size, subject, artifact_type, annotations, created_at";

    /// <summary><see cref="Columns"/> qualified by a table alias, for queries over several tables holding them.</summary>
    internal static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(c => alias + "." + c));

    private static readonly string ContentQuery =
        $"SELECT {ColumnsOf("m")}, {ManifestBytes.Content} FROM manifests m {ManifestBytes.Join} WHERE m.repository = $repository AND m.digest = $digest";

    // A manifest's last use for garbage collection: when it was stored (by this store's clock, whatever the record's
    // CreatedAt says), or later touched by a tag, an index or a re-put; created_at only for rows stored before it.
    internal const string TouchedAt = "COALESCE(touched_at, created_at)";

    private readonly SqliteDatabase db;

    public SqliteManifestIndex(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureColumn("manifests", "touched_at", "TEXT");
        // Bytes an earlier version kept in the record itself; still read, no longer written (see ManifestBytes).
        db.EnsureColumn("manifests", "content", "BLOB");
        ManifestBytes.EnsureSchema(db);
    }

    public Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(
            $"SELECT {Columns} FROM manifests WHERE repository = $repository AND digest = $digest",
            r => Read(digest, r, 0), cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value));

    public Task<StoredManifest?> GetContentAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(ContentQuery, r => ReadStored(digest, r, 0), cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value));

    public async Task<IReadOnlyList<ManifestRecord>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            $"SELECT digest, {Columns} FROM manifests WHERE repository = $repository AND digest > $after ORDER BY digest LIMIT $limit",
            r => Read(Digest.Parse(r.GetString(0)), r, 1), cancellationToken,
            ("$repository", repository.Value), ("$after", after ?? ""), ("$limit", limit));

    public async Task<bool> TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("UPDATE manifests SET touched_at = $now WHERE repository = $repository AND digest = $digest",
            cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value), ("$now", SqliteTime.Now())) > 0;

    public async Task<bool> DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken) =>
        await db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("$repository", repository.Value), ("$digest", digest.Value), ("$since", SqliteTime.Format(untouchedSince))];
            var deleted = await SqliteDatabase.ExecuteAsync(c, t, $"""
                DELETE FROM manifests WHERE repository = $repository AND digest = $digest AND {TouchedAt} < $since
                AND NOT EXISTS (SELECT 1 FROM tags WHERE repository = $repository AND digest = $digest)
                """, cancellationToken, key);
            if (deleted > 0)
            {
                await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM referrers WHERE repository = $repository AND digest = $digest", cancellationToken, key);
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
            await SqliteRepositoryIndex.EnsureAsync(c, t, repository, cancellationToken);
            var inserted = await SqliteDatabase.ExecuteAsync(c, t, """
                INSERT OR IGNORE INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, created_at, touched_at)
                VALUES ($repository, $digest, $media_type, $size, $subject, $artifact_type, $annotations, $created_at, $now)
                """, cancellationToken, ("$repository", repository.Value), ("$digest", manifest.Digest.Value),
                ("$media_type", manifest.MediaType), ("$size", manifest.Size), ("$subject", manifest.Subject?.Value),
                ("$artifact_type", manifest.ArtifactType), ("$annotations", manifest.AnnotationsJson),
                ("$created_at", SqliteTime.Format(manifest.CreatedAt)), ("$now", SqliteTime.Now()));
            if (inserted == 0)
            {
                await SqliteDatabase.ExecuteAsync(c, t, "UPDATE manifests SET touched_at = $now WHERE repository = $repository AND digest = $digest",
                    cancellationToken, ("$repository", repository.Value), ("$digest", manifest.Digest.Value), ("$now", SqliteTime.Now()));
            }
            if (content is not null)
            {
                // A new row, or one an older version wrote without bytes, gets them; a row that has them keeps them.
                await ManifestBytes.AttachAsync(c, t, repository, manifest.Digest, content, cancellationToken);
            }
            if (inserted > 0 && manifest.Subject is { } subject)
            {
                await SqliteDatabase.ExecuteAsync(c, t, """
                    INSERT OR REPLACE INTO referrers (repository, subject, digest, media_type, size, artifact_type, annotations)
                    VALUES ($repository, $subject, $digest, $media_type, $size, $artifact_type, $annotations)
                    """, cancellationToken, ("$repository", repository.Value), ("$subject", subject.Value),
                    ("$digest", manifest.Digest.Value), ("$media_type", manifest.MediaType), ("$size", manifest.Size),
                    ("$artifact_type", manifest.ArtifactType), ("$annotations", manifest.AnnotationsJson));
            }
            return inserted;
        }, cancellationToken);

    public async Task<bool> DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("$repository", repository.Value), ("$digest", digest.Value)];
            var deleted = await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM manifests WHERE repository = $repository AND digest = $digest", cancellationToken, key);
            await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM tags WHERE repository = $repository AND digest = $digest", cancellationToken, key);
            await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM referrers WHERE repository = $repository AND digest = $digest", cancellationToken, key);
            return deleted > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            "SELECT digest, media_type, size, artifact_type, annotations FROM referrers WHERE repository = $repository AND subject = $subject ORDER BY digest",
            r => new ReferrerRecord(subject, Digest.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2), NullableString(r, 3), NullableString(r, 4)),
            cancellationToken, ("$repository", repository.Value), ("$subject", subject.Value));

    internal static ManifestRecord Read(Digest digest, SqliteDataReader r, int first) =>
        new(digest, r.GetString(first), r.GetInt64(first + 1), r.IsDBNull(first + 2) ? null : Digest.Parse(r.GetString(first + 2)),
            NullableString(r, first + 3), NullableString(r, first + 4), SqliteTime.Parse(r.GetString(first + 5)));

    // The content column follows the record's columns; bytes whose length disagrees with the record are not trusted.
    internal static StoredManifest ReadStored(Digest digest, SqliteDataReader r, int first)
    {
        var record = Read(digest, r, first);
        var content = r.IsDBNull(first + 6) ? null : r.GetFieldValue<byte[]>(first + 6);
        return new StoredManifest(record, content?.Length == record.Size ? content : null);
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
