using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteTagIndex(SqliteDatabase db) : ITagIndex
{
    public async Task<Digest?> GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync("SELECT digest FROM tags WHERE repository = $repository AND tag = $tag",
            r => Digest.Parse(r.GetString(0)), cancellationToken, ("$repository", repository.Value), ("$tag", tag));

    public Task<bool> SetAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            // Touching the manifest in the same transaction is what makes garbage collection's conditional delete
            // either see the tag or run first, in which case the manifest is gone and no tag is written.
            if (await SqliteDatabase.ExecuteAsync(c, t, "UPDATE manifests SET touched_at = $now WHERE repository = $repository AND digest = $digest",
                cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value), ("$now", SqliteTime.Now())) == 0)
            {
                return false;
            }
            await SqliteDatabase.ExecuteAsync(c, t,
                $"INSERT OR REPLACE INTO tags (repository, tag, digest, content_id) VALUES ($repository, $tag, $digest, {ManifestBytes.TagPointer})",
                cancellationToken, ("$repository", repository.Value), ("$tag", tag), ("$digest", digest.Value));
            return true;
        }, cancellationToken);

    public async Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM tags WHERE repository = $repository AND tag = $tag",
            cancellationToken, ("$repository", repository.Value), ("$tag", tag)) > 0;

    public async Task<IReadOnlyList<string>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT tag FROM tags WHERE repository = $repository AND tag > $after ORDER BY tag LIMIT $limit",
            r => r.GetString(0), cancellationToken, ("$repository", repository.Value), ("$after", after ?? ""), ("$limit", limit));

    public async Task<IReadOnlyList<TagTarget>> ListTargetsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT tag, digest FROM tags WHERE repository = $repository AND tag > $after ORDER BY tag LIMIT $limit",
            r => new TagTarget(r.GetString(0), Digest.Parse(r.GetString(1))), cancellationToken,
            ("$repository", repository.Value), ("$after", after ?? ""), ("$limit", limit));
}
