using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteBlobLinkIndex : IBlobLinkIndex
{
    // Links written before garbage collection have no linked_at; they count as linked long ago (the epoch).
    private const string LinkedAt = "COALESCE(linked_at, '0001-01-01T00:00:00.0000000+00:00')";

    private readonly SqliteDatabase db;

    public SqliteBlobLinkIndex(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureColumn("blob_links", "linked_at", "TEXT");
        db.EnsureSchema("CREATE INDEX IF NOT EXISTS blob_links_by_digest ON blob_links (digest);");
    }

    public Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqliteRepositoryIndex.EnsureAsync(c, t, repository, cancellationToken);
            return await SqliteDatabase.ExecuteAsync(c, t,
                "INSERT OR REPLACE INTO blob_links (repository, digest, size, linked_at) VALUES ($repository, $digest, $size, $now)",
                cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value), ("$size", size), ("$now", SqliteTime.Now()));
        }, cancellationToken);

    public async Task<long?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync("SELECT size FROM blob_links WHERE repository = $repository AND digest = $digest",
            r => r.GetInt64(0), cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<BlobLink?> GetLinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT size, {LinkedAt} FROM blob_links WHERE repository = $repository AND digest = $digest",
            r => new BlobLink(digest, r.GetInt64(0), SqliteTime.Parse(r.GetString(1))),
            cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value));

    public async Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM blob_links WHERE repository = $repository AND digest = $digest",
            cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value)) > 0;

    public async Task<bool> UnlinkIfStaleAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken) =>
        await db.ExecuteAsync($"DELETE FROM blob_links WHERE repository = $repository AND digest = $digest AND {LinkedAt} < $before",
            cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value), ("$before", SqliteTime.Format(linkedBefore))) > 0;

    public async Task<IReadOnlyList<BlobLink>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            $"SELECT digest, size, {LinkedAt} FROM blob_links WHERE repository = $repository AND digest > $after ORDER BY digest LIMIT $limit",
            r => new BlobLink(Digest.Parse(r.GetString(0)), r.GetInt64(1), SqliteTime.Parse(r.GetString(2))),
            cancellationToken, ("$repository", repository.Value), ("$after", after ?? ""), ("$limit", limit));

    public async Task<bool> IsLinkedAnywhereAsync(Digest digest, CancellationToken cancellationToken) =>
        (await db.QueryAsync("SELECT 1 FROM blob_links WHERE digest = $digest LIMIT 1", _ => true, cancellationToken, ("$digest", digest.Value))).Count > 0;

    public async Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        (await db.QueryAsync($"SELECT COALESCE(SUM(size), 0) FROM blob_links WHERE {SqliteNamespace.Condition}", r => r.GetInt64(0), cancellationToken,
            SqliteNamespace.Parameters(@namespace)))[0];
}
