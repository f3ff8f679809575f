using System.Globalization;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteManifestIndex(SqliteDatabase db) : IManifestIndex
{
    public Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync(
            "SELECT media_type, size, subject, artifact_type, annotations, created_at FROM manifests WHERE repository = $repository AND digest = $digest",
            r => new ManifestRecord(digest, r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : Digest.Parse(r.GetString(2)),
                NullableString(r, 3), NullableString(r, 4), DateTimeOffset.Parse(r.GetString(5), CultureInfo.InvariantCulture)),
            cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value));

    public Task PutAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqliteRepositoryIndex.EnsureAsync(c, t, repository, cancellationToken);
            var inserted = await SqliteDatabase.ExecuteAsync(c, t, """
                INSERT OR IGNORE INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, created_at)
                VALUES ($repository, $digest, $media_type, $size, $subject, $artifact_type, $annotations, $created_at)
                """, cancellationToken, ("$repository", repository.Value), ("$digest", manifest.Digest.Value),
                ("$media_type", manifest.MediaType), ("$size", manifest.Size), ("$subject", manifest.Subject?.Value),
                ("$artifact_type", manifest.ArtifactType), ("$annotations", manifest.AnnotationsJson),
                ("$created_at", manifest.CreatedAt.ToString("O", CultureInfo.InvariantCulture)));
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

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
