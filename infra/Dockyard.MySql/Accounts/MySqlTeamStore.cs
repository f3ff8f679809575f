using Dockyard.Core.Accounts;

namespace Dockyard.MySql.Accounts;

internal sealed class MySqlTeamStore(MySqlDatabase db) : ITeamStore
{
    public Task<Team?> GetAsync(string organization, string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT comment FROM teams WHERE organization = @org AND name = @name",
            r => new Team(organization, name, MySqlText.Nullable(r, 0)), cancellationToken, ("@org", organization), ("@name", name));

    public Task<bool> TryCreateAsync(Team team, CancellationToken cancellationToken) =>
        db.TryInsertAsync("INSERT INTO teams (organization, name, comment) VALUES (@org, @name, @comment)",
            cancellationToken, ("@org", team.Organization), ("@name", team.Name), ("@comment", team.Comment));

    public Task<bool> DeleteAsync(string organization, string name, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] key = [("@org", organization), ("@team", name)];
            var deleted = await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM teams WHERE organization = @org AND name = @team", cancellationToken, key);
            await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM team_members WHERE organization = @org AND team = @team", cancellationToken, key);
            await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM team_repositories WHERE organization = @org AND team = @team", cancellationToken, key);
            return deleted > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<Team>> ListAsync(string organization, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT name, comment FROM teams WHERE organization = @org ORDER BY name",
            r => new Team(organization, r.GetString(0), MySqlText.Nullable(r, 1)), cancellationToken, ("@org", organization));

    public Task SetMemberAsync(TeamMember member, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            INSERT INTO team_members (organization, team, member, role) VALUES (@org, @team, @user, @role) ON DUPLICATE KEY UPDATE role = VALUES(role)
            """, cancellationToken, ("@org", member.Organization), ("@team", member.Team), ("@user", member.User), ("@role", (int)member.Role));

    public async Task<bool> RemoveMemberAsync(string organization, string team, string user, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM team_members WHERE organization = @org AND team = @team AND member = @user",
            cancellationToken, ("@org", organization), ("@team", team), ("@user", user)) > 0;

    public async Task<IReadOnlyList<TeamMember>> ListMembersAsync(string organization, string team, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT member, role FROM team_members WHERE organization = @org AND team = @team ORDER BY member",
            r => new TeamMember(organization, team, r.GetString(0), (TeamRole)r.GetInt32(1)), cancellationToken, ("@org", organization), ("@team", team));

    public async Task<IReadOnlyList<TeamMember>> ListMembershipsAsync(string organization, string user, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT team, role FROM team_members WHERE organization = @org AND member = @user ORDER BY team",
            r => new TeamMember(organization, r.GetString(0), user, (TeamRole)r.GetInt32(1)), cancellationToken, ("@org", organization), ("@user", user));

    public Task SetRepositoryAsync(TeamRepository grant, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            INSERT INTO team_repositories (organization, team, repository, permit) VALUES (@org, @team, @repo, @permit)
            ON DUPLICATE KEY UPDATE permit = VALUES(permit)
            """, cancellationToken, ("@org", grant.Organization), ("@team", grant.Team), ("@repo", grant.Repository), ("@permit", (int)grant.Permit));

    public async Task<bool> RemoveRepositoryAsync(string organization, string team, string repository, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM team_repositories WHERE organization = @org AND team = @team AND repository = @repo",
            cancellationToken, ("@org", organization), ("@team", team), ("@repo", repository)) > 0;

    public async Task<IReadOnlyList<TeamRepository>> ListRepositoriesAsync(string organization, string team, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository, permit FROM team_repositories WHERE organization = @org AND team = @team ORDER BY repository",
            r => new TeamRepository(organization, team, r.GetString(0), (TeamPermit)r.GetInt32(1)), cancellationToken, ("@org", organization), ("@team", team));

    public async Task<IReadOnlyList<TeamRepository>> ListGrantsAsync(string organization, string repository, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT team, permit FROM team_repositories WHERE organization = @org AND repository = @repo ORDER BY team",
            r => new TeamRepository(organization, r.GetString(0), repository, (TeamPermit)r.GetInt32(1)), cancellationToken, ("@org", organization), ("@repo", repository));
}
