using Dockyard.Core.Accounts;
using MySqlConnector;

namespace Dockyard.MySql.Accounts;

internal sealed class MySqlOrganizationStore(MySqlDatabase db) : IOrganizationStore
{
    private const string Columns = "name, email, comment, url, location, member_privilege, created_at";

    public Task<Organization?> GetAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM organizations WHERE name = @name", Map, cancellationToken, ("@name", name));

    public Task<bool> TryCreateAsync(Organization organization, string admin, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            if (!await MySqlDatabase.TryInsertAsync(c, t, "INSERT INTO namespaces (name, kind) VALUES (@name, 'organization')",
                cancellationToken, ("@name", organization.Name)))
            {
                return false;
            }
            await MySqlDatabase.ExecuteAsync(c, t, $"INSERT INTO organizations ({Columns}) VALUES (@name, @email, @comment, @url, @location, @privilege, @created)",
                cancellationToken, ("@name", organization.Name), ("@email", organization.Email), ("@comment", organization.Comment),
                ("@url", organization.Url), ("@location", organization.Location), ("@privilege", (int)organization.MemberPrivilege),
                ("@created", MySqlText.Time(organization.CreatedAt)));
            await MySqlDatabase.ExecuteAsync(c, t, "INSERT INTO organization_members (organization, member, role) VALUES (@org, @user, @role)",
                cancellationToken, ("@org", organization.Name), ("@user", admin), ("@role", (int)OrganizationRole.Admin));
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("@org", name)];
            var deleted = await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM organizations WHERE name = @org", cancellationToken, key);
            foreach (var table in new[] { "organization_members", "teams", "team_members", "team_repositories" })
            {
                await MySqlDatabase.ExecuteAsync(c, t, $"DELETE FROM {table} WHERE organization = @org", cancellationToken, key);
            }
            await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM namespaces WHERE name = @org AND kind = 'organization'", cancellationToken, key);
            return deleted > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<Organization>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM organizations WHERE name > @after ORDER BY name LIMIT @limit", Map,
            cancellationToken, ("@after", after ?? ""), ("@limit", limit));

    public Task<OrganizationMember?> GetMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT role FROM organization_members WHERE organization = @org AND member = @user",
            r => new OrganizationMember(organization, user, (OrganizationRole)r.GetInt32(0)), cancellationToken, ("@org", organization), ("@user", user));

    public Task SetMemberAsync(OrganizationMember member, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            INSERT INTO organization_members (organization, member, role) VALUES (@org, @user, @role) ON DUPLICATE KEY UPDATE role = VALUES(role)
            """, cancellationToken, ("@org", member.Organization), ("@user", member.User), ("@role", (int)member.Role));

    public Task<bool> RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("@org", organization), ("@user", user)];
            var removed = await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM organization_members WHERE organization = @org AND member = @user", cancellationToken, key);
            await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM team_members WHERE organization = @org AND member = @user", cancellationToken, key);
            return removed > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(string organization, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT member, role FROM organization_members WHERE organization = @org ORDER BY member",
            r => new OrganizationMember(organization, r.GetString(0), (OrganizationRole)r.GetInt32(1)), cancellationToken, ("@org", organization));

    private static Organization Map(MySqlDataReader r) => new(r.GetString(0), MySqlText.Nullable(r, 1), MySqlText.Nullable(r, 2),
        MySqlText.Nullable(r, 3), MySqlText.Nullable(r, 4), (MemberPrivilege)r.GetInt32(5), MySqlText.ReadTime(r, 6));
}
