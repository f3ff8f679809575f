using Dockyard.Core.Accounts;

namespace Dockyard.Local.Sqlite.Accounts;

internal sealed class SqliteRepositoryPolicyStore(SqliteDatabase db) : IRepositoryPolicyStore
{
    public Task<RepositoryPolicy?> GetAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT is_public, comment, created_at FROM repository_policies WHERE namespace = $ns AND name = $name",
            r => new RepositoryPolicy(@namespace, name, r.GetInt64(0) != 0, SqliteText.Nullable(r, 1), SqliteText.ParseTime(r.GetString(2))),
            cancellationToken, ("$ns", @namespace), ("$name", name));

    public async Task<bool> TryCreateAsync(RepositoryPolicy policy, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("INSERT OR IGNORE INTO repository_policies (namespace, name, is_public, comment, created_at) VALUES ($ns, $name, $public, $comment, $created)",
            cancellationToken, ("$ns", policy.Namespace), ("$name", policy.Name), ("$public", policy.IsPublic ? 1 : 0),
            ("$comment", policy.Comment), ("$created", SqliteText.Time(policy.CreatedAt))) > 0;

    public async Task<bool> UpdateAsync(RepositoryPolicy policy, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("UPDATE repository_policies SET is_public = $public, comment = $comment WHERE namespace = $ns AND name = $name",
            cancellationToken, ("$ns", policy.Namespace), ("$name", policy.Name), ("$public", policy.IsPublic ? 1 : 0), ("$comment", policy.Comment)) > 0;

    public async Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM repository_policies WHERE namespace = $ns AND name = $name",
            cancellationToken, ("$ns", @namespace), ("$name", name)) > 0;

    public async Task<IReadOnlyList<RepositoryPolicy>> ListAsync(string @namespace, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT name, is_public, comment, created_at FROM repository_policies WHERE namespace = $ns ORDER BY name",
            r => new RepositoryPolicy(@namespace, r.GetString(0), r.GetInt64(1) != 0, SqliteText.Nullable(r, 2), SqliteText.ParseTime(r.GetString(3))),
            cancellationToken, ("$ns", @namespace));
}
