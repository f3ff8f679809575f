using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql;

internal sealed class MySqlTagIndex(MySqlDatabase db) : ITagIndex
{
    public async Task<Digest?> GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync("SELECT digest FROM tags WHERE repository = @repository AND tag = @tag",
            r => Digest.Parse(r.GetString(0)), cancellationToken, ("@repository", repository.Value), ("@tag", tag));

    public Task<bool> SetAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            // The UPDATE locks the manifest's row until commit: garbage collection's conditional DELETE of it either
            // waits and then sees the fresh touched_at (and the tag), or ran first, and then no row matches here and
            // no tag is written.
            if (await MySqlDatabase.ExecuteAsync(c, t, "UPDATE manifests SET touched_at = @now WHERE repository = @repository AND digest = @digest",
                cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value), ("@now", MySqlText.Now())) == 0)
            {
                return false;
            }
            await MySqlDatabase.ExecuteAsync(c, t, """
                INSERT INTO tags (repository, tag, digest) VALUES (@repository, @tag, @digest) ON DUPLICATE KEY UPDATE digest = VALUES(digest)
                """, cancellationToken, ("@repository", repository.Value), ("@tag", tag), ("@digest", digest.Value));
            return true;
        }, cancellationToken);

    public async Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM tags WHERE repository = @repository AND tag = @tag",
            cancellationToken, ("@repository", repository.Value), ("@tag", tag)) > 0;

    public async Task<IReadOnlyList<string>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT tag FROM tags WHERE repository = @repository AND tag > @after ORDER BY tag LIMIT @limit",
            r => r.GetString(0), cancellationToken, ("@repository", repository.Value), ("@after", after ?? ""), ("@limit", limit));

    public async Task<IReadOnlyList<TagTarget>> ListTargetsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT tag, digest FROM tags WHERE repository = @repository AND tag > @after ORDER BY tag LIMIT @limit",
            r => new TagTarget(r.GetString(0), Digest.Parse(r.GetString(1))), cancellationToken,
            ("@repository", repository.Value), ("@after", after ?? ""), ("@limit", limit));
}
