using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql;

internal sealed class MySqlBlobLinkIndex(MySqlDatabase db) : IBlobLinkIndex
{
    public Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await MySqlRepositoryIndex.EnsureAsync(c, t, repository, cancellationToken);
            // A re-link refreshes linked_at, which is what keeps the collector's UnlinkIfStale off a blob in use.
            return await MySqlDatabase.ExecuteAsync(c, t, """
                INSERT INTO blob_links (repository, digest, size, linked_at) VALUES (@repository, @digest, @size, @now)
                ON DUPLICATE KEY UPDATE size = VALUES(size), linked_at = VALUES(linked_at)
                """, cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value), ("@size", size), ("@now", MySqlText.Now()));
        }, cancellationToken);

    public async Task<long?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync("SELECT size FROM blob_links WHERE repository = @repository AND digest = @digest",
            r => r.GetInt64(0), cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<BlobLink?> GetLinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT size, linked_at FROM blob_links WHERE repository = @repository AND digest = @digest",
            r => new BlobLink(digest, r.GetInt64(0), MySqlText.ReadTime(r, 1)),
            cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value));

    public async Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM blob_links WHERE repository = @repository AND digest = @digest",
            cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value)) > 0;

    public async Task<bool> UnlinkIfStaleAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM blob_links WHERE repository = @repository AND digest = @digest AND linked_at < @before",
            cancellationToken, ("@repository", repository.Value), ("@digest", digest.Value), ("@before", MySqlText.CutOff(linkedBefore))) > 0;

    public async Task<IReadOnlyList<BlobLink>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            "SELECT digest, size, linked_at FROM blob_links WHERE repository = @repository AND digest > @after ORDER BY digest LIMIT @limit",
            r => new BlobLink(Digest.Parse(r.GetString(0)), r.GetInt64(1), MySqlText.ReadTime(r, 2)),
            cancellationToken, ("@repository", repository.Value), ("@after", after ?? ""), ("@limit", limit));

    public async Task<bool> IsLinkedAnywhereAsync(Digest digest, CancellationToken cancellationToken) =>
        (await db.QueryAsync("SELECT 1 FROM blob_links WHERE digest = @digest LIMIT 1", _ => true, cancellationToken, ("@digest", digest.Value))).Count > 0;

    public async Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        (await db.QueryAsync($"SELECT CAST(COALESCE(SUM(size), 0) AS SIGNED) FROM blob_links WHERE {MySqlNamespace.Condition}", r => r.GetInt64(0),
            cancellationToken, MySqlNamespace.Parameters(@namespace)))[0];
}
