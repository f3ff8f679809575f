using Dockyard.Core.Accounts;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite.Accounts;

internal sealed class SqliteUserStore(SqliteDatabase db) : IUserStore
{
    private const string Columns = "name, email, password_hash, real_name, comment, is_admin, source, created_at";

    public Task<User?> GetAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM users WHERE name = $name", Map, cancellationToken, ("$name", name));

    public Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            if (await SqliteDatabase.ExecuteAsync(c, t, "INSERT OR IGNORE INTO namespaces (name, kind) VALUES ($name, 'user')",
                cancellationToken, ("$name", user.Name)) == 0)
            {
                return false;
            }
            await SqliteDatabase.ExecuteAsync(c, t, $"INSERT INTO users ({Columns}) VALUES ($name, $email, $hash, $real, $comment, $admin, $source, $created)",
                cancellationToken, Parameters(user));
            return true;
        }, cancellationToken);

    public async Task<bool> UpdateAsync(User user, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            UPDATE users SET email = $email, password_hash = $hash, real_name = $real, comment = $comment, is_admin = $admin, source = $source
            WHERE name = $name
            """, cancellationToken, Parameters(user)) > 0;

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?) user = ("$name", name);
            if (await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM users WHERE name = $name", cancellationToken, user) == 0)
            {
                return false;
            }
            // One transaction: the memberships and the name go with the user.
            await SqliteDatabase.ExecuteAsync(c, t, """
                DELETE FROM team_members WHERE user = $name;
                DELETE FROM organization_members WHERE user = $name;
                DELETE FROM namespaces WHERE name = $name AND kind = 'user';
                """, cancellationToken, user);
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<User>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM users WHERE name > $after ORDER BY name LIMIT $limit", Map,
            cancellationToken, ("$after", after ?? ""), ("$limit", limit));

    private static (string, object?)[] Parameters(User user) =>
    [
        ("$name", user.Name), ("$email", user.Email), ("$hash", user.PasswordHash), ("$real", user.RealName),
        ("$comment", user.Comment), ("$admin", user.IsAdmin ? 1 : 0), ("$source", user.Source), ("$created", SqliteText.Time(user.CreatedAt)),
    ];

    private static User Map(SqliteDataReader r) => new(r.GetString(0), SqliteText.Nullable(r, 1), SqliteText.Nullable(r, 2),
        SqliteText.Nullable(r, 3), SqliteText.Nullable(r, 4), r.GetInt64(5) != 0, r.GetString(6), SqliteText.ParseTime(r.GetString(7)));
}
