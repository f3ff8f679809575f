using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteRepositoryIndex(SqliteDatabase db) : IRepositoryIndex
{
    internal const string InsertSql = "INSERT OR IGNORE INTO repositories (name) VALUES ($repository)";

    public Task EnsureAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InsertSql, cancellationToken, ("$repository", repository.Value));

    public async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        (await db.QueryAsync("SELECT 1 FROM repositories WHERE name = $name", _ => true, cancellationToken, ("$name", repository.Value))).Count > 0;

    public async Task<IReadOnlyList<string>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT name FROM repositories WHERE name > $after ORDER BY name LIMIT $limit",
            r => r.GetString(0), cancellationToken, ("$after", after ?? ""), ("$limit", limit));

    public Task<bool> DeleteAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("$repository", repository.Value)];
            foreach (var table in new[] { "tags", "manifests", "referrers", "blob_links", "uploads" })
            {
                await SqliteDatabase.ExecuteAsync(c, t, $"DELETE FROM {table} WHERE repository = $repository", cancellationToken, key);
            }
            return await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM repositories WHERE name = $repository", cancellationToken, key) > 0;
        }, cancellationToken);

    internal static Task EnsureAsync(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, CancellationToken cancellationToken) =>
        SqliteDatabase.ExecuteAsync(connection, transaction, InsertSql, cancellationToken, ("$repository", repository.Value));
}
