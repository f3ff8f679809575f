using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteBlobLinkIndex(SqliteDatabase db) : IBlobLinkIndex
{
    public Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqliteRepositoryIndex.EnsureAsync(c, t, repository, cancellationToken);
            return await SqliteDatabase.ExecuteAsync(c, t,
                "INSERT OR REPLACE INTO blob_links (repository, digest, size) VALUES ($repository, $digest, $size)",
                cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value), ("$size", size));
        }, cancellationToken);

    public async Task<long?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync("SELECT size FROM blob_links WHERE repository = $repository AND digest = $digest",
            r => r.GetInt64(0), cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM blob_links WHERE repository = $repository AND digest = $digest",
            cancellationToken, ("$repository", repository.Value), ("$digest", digest.Value)) > 0;

    public async Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        (await db.QueryAsync($"SELECT COALESCE(SUM(size), 0) FROM blob_links WHERE {SqliteNamespace.Condition}", r => r.GetInt64(0), cancellationToken,
            SqliteNamespace.Parameters(@namespace)))[0];
}
