using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using MySqlConnector;

namespace Dockyard.MySql;

internal sealed class MySqlRepositoryIndex(MySqlDatabase db) : IRepositoryIndex
{
    // A no-op update on a duplicate: unlike INSERT IGNORE it still fails on a value that does not fit.
    private const string InsertSql = "INSERT INTO repositories (name) VALUES (@repository) ON DUPLICATE KEY UPDATE name = name";

    public Task EnsureAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InsertSql, cancellationToken, ("@repository", repository.Value));

    public async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        (await db.QueryAsync("SELECT 1 FROM repositories WHERE name = @name", _ => true, cancellationToken, ("@name", repository.Value))).Count > 0;

    public async Task<IReadOnlyList<string>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT name FROM repositories WHERE name > @after ORDER BY name LIMIT @limit",
            r => r.GetString(0), cancellationToken, ("@after", after ?? ""), ("@limit", limit));

    public Task<bool> DeleteAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("@repository", repository.Value)];
            foreach (var table in new[] { "tags", "manifests", "referrers", "blob_links", "uploads" })
            {
                await MySqlDatabase.ExecuteAsync(c, t, $"DELETE FROM {table} WHERE repository = @repository", cancellationToken, key);
            }
            return await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM repositories WHERE name = @repository", cancellationToken, key) > 0;
        }, cancellationToken);

    internal static Task EnsureAsync(MySqlConnection connection, MySqlTransaction transaction, RepositoryName repository, CancellationToken cancellationToken) =>
        MySqlDatabase.ExecuteAsync(connection, transaction, InsertSql, cancellationToken, ("@repository", repository.Value));
}
