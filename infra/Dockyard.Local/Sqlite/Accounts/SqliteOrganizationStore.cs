using Dockyard.Core.Accounts;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite.Accounts;

internal sealed class SqliteOrganizationStore(SqliteDatabase db) : IOrganizationStore
{
    private const string Columns = "name, email, comment, url, location, member_privilege, created_at";

    public Task<Organization?> GetAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM organizations WHERE name = $name", Map, cancellationToken, ("$name", name));

    public Task<bool> TryCreateAsync(Organization organization, string admin, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            if (await SqliteDatabase.ExecuteAsync(c, t, "INSERT OR IGNORE INTO namespaces (name, kind) VALUES ($name, 'organization')",
                cancellationToken, ("$name", organization.Name)) == 0)
            {
                return false;
            }
            await SqliteDatabase.ExecuteAsync(c, t, $"INSERT INTO organizations ({Columns}) VALUES ($name, $email, $comment, $url, $location, $privilege, $created)",
                cancellationToken, ("$name", organization.Name), ("$email", organization.Email), ("$comment", organization.Comment),
                ("$url", organization.Url), ("$location", organization.Location), ("$privilege", (int)organization.MemberPrivilege),
                ("$created", SqliteText.Time(organization.CreatedAt)));
            await SqliteDatabase.ExecuteAsync(c, t, "INSERT INTO organization_members (organization, user, role) VALUES ($org, $user, $role)",
                cancellationToken, ("$org", organization.Name), ("$user", admin), ("$role", (int)OrganizationRole.Admin));
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("$org", name)];
            var deleted = await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM organizations WHERE name = $org", cancellationToken, key);
            foreach (var table in new[] { "organization_members", "teams", "team_members", "team_repositories" })
            {
                await SqliteDatabase.ExecuteAsync(c, t, $"DELETE FROM {table} WHERE organization = $org", cancellationToken, key);
            }
            await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM namespaces WHERE name = $org AND kind = 'organization'", cancellationToken, key);
            return deleted > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<Organization>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM organizations WHERE name > $after ORDER BY name LIMIT $limit", Map,
            cancellationToken, ("$after", after ?? ""), ("$limit", limit));

    public Task<OrganizationMember?> GetMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT role FROM organization_members WHERE organization = $org AND user = $user",
            r => new OrganizationMember(organization, user, (OrganizationRole)r.GetInt32(0)), cancellationToken, ("$org", organization), ("$user", user));

    public Task SetMemberAsync(OrganizationMember member, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT OR REPLACE INTO organization_members (organization, user, role) VALUES ($org, $user, $role)",
            cancellationToken, ("$org", member.Organization), ("$user", member.User), ("$role", (int)member.Role));

    public Task<bool> RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("$org", organization), ("$user", user)];
            var removed = await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM organization_members WHERE organization = $org AND user = $user", cancellationToken, key);
            await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM team_members WHERE organization = $org AND user = $user", cancellationToken, key);
            return removed > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(string organization, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT user, role FROM organization_members WHERE organization = $org ORDER BY user",
            r => new OrganizationMember(organization, r.GetString(0), (OrganizationRole)r.GetInt32(1)), cancellationToken, ("$org", organization));

    private static Organization Map(SqliteDataReader r) => new(r.GetString(0), SqliteText.Nullable(r, 1), SqliteText.Nullable(r, 2),
        SqliteText.Nullable(r, 3), SqliteText.Nullable(r, 4), (MemberPrivilege)r.GetInt32(5), SqliteText.ParseTime(r.GetString(6)));
}
