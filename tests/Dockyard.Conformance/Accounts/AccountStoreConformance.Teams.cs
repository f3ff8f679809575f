using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>Teams: create, delete with members and grants, members, memberships by user, grants by repository.</summary>
public abstract partial class AccountStoreConformance
{
    // Repository names inside an organization may nest; '/' sorts between '.' and '0'.
    private static readonly string[] RepositoryNames = ["app", "a/b", "a.b", "a-b", "a0", "a_b", "a/b/c", "z"];

    [Fact]
    public async Task Teams_are_created_once_per_organization_and_listed_in_name_order()
    {
        await CreateOrganizationAsync("acme");
        await CreateOrganizationAsync("other");
        foreach (var name in TrickyNames)
        {
            Assert.True(await Store.Teams.TryCreateAsync(new("acme", name, "team " + name), Ct));
        }

        Assert.False(await Store.Teams.TryCreateAsync(new("acme", "ab", "again"), Ct));
        Assert.True(await Store.Teams.TryCreateAsync(new("other", "ab", null), Ct));

        Assert.Equal(new Team("acme", "ab", "team ab"), await Store.Teams.GetAsync("acme", "ab", Ct));
        Assert.Equal(new Team("other", "ab", null), await Store.Teams.GetAsync("other", "ab", Ct));
        Assert.Null(await Store.Teams.GetAsync("acme", "missing", Ct));
        Assert.Null(await Store.Teams.GetAsync("nowhere", "ab", Ct));
        Assert.Equal(Ordinal(TrickyNames), (await Store.Teams.ListAsync("acme", Ct)).Select(t => t.Name));
        Assert.Equal(["ab"], (await Store.Teams.ListAsync("other", Ct)).Select(t => t.Name));
    }

    [Fact]
    public async Task Team_members_are_set_replaced_removed_and_listed_in_user_order()
    {
        await CreateOrganizationAsync("acme");
        await Store.Teams.TryCreateAsync(new("acme", "devs", null), Ct);
        await Store.Teams.TryCreateAsync(new("acme", "ops", null), Ct);
        foreach (var name in TrickyNames)
        {
            await Store.Teams.SetMemberAsync(new("acme", "devs", name, TeamRole.Member), Ct);
        }
        await Store.Teams.SetMemberAsync(new("acme", "devs", "b", TeamRole.Admin), Ct);
        await Store.Teams.SetMemberAsync(new("acme", "ops", "zz", TeamRole.Member), Ct);

        Assert.True(await Store.Teams.RemoveMemberAsync("acme", "devs", "zz", Ct));
        Assert.False(await Store.Teams.RemoveMemberAsync("acme", "devs", "zz", Ct));
        Assert.False(await Store.Teams.RemoveMemberAsync("acme", "devs", "stranger", Ct));

        var members = await Store.Teams.ListMembersAsync("acme", "devs", Ct);
        Assert.Equal(Ordinal(TrickyNames.Where(n => n != "zz")), members.Select(m => m.User));
        Assert.Equal(new TeamMember("acme", "devs", "b", TeamRole.Admin), members.Single(m => m.User == "b"));
        Assert.Equal([new TeamMember("acme", "ops", "zz", TeamRole.Member)], await Store.Teams.ListMembersAsync("acme", "ops", Ct));
    }

    [Fact]
    public async Task Memberships_of_a_user_are_listed_per_organization_in_team_order()
    {
        await CreateOrganizationAsync("acme");
        await CreateOrganizationAsync("other");
        foreach (var team in new[] { "z-team", "a.team", "a-team", "m" })
        {
            await Store.Teams.TryCreateAsync(new("acme", team, null), Ct);
            await Store.Teams.SetMemberAsync(new("acme", team, "alice", team == "m" ? TeamRole.Admin : TeamRole.Member), Ct);
        }
        await Store.Teams.SetMemberAsync(new("acme", "m", "alicia", TeamRole.Member), Ct);
        await Store.Teams.TryCreateAsync(new("other", "b", null), Ct);
        await Store.Teams.SetMemberAsync(new("other", "b", "alice", TeamRole.Member), Ct);

        var memberships = await Store.Teams.ListMembershipsAsync("acme", "alice", Ct);

        Assert.Equal(["a-team", "a.team", "m", "z-team"], memberships.Select(m => m.Team));
        Assert.All(memberships, m => Assert.Equal(("acme", "alice"), (m.Organization, m.User)));
        Assert.Equal(TeamRole.Admin, memberships.Single(m => m.Team == "m").Role);
        Assert.Equal(["m"], (await Store.Teams.ListMembershipsAsync("acme", "alicia", Ct)).Select(m => m.Team));
        Assert.Equal(["b"], (await Store.Teams.ListMembershipsAsync("other", "alice", Ct)).Select(m => m.Team));
        Assert.Empty(await Store.Teams.ListMembershipsAsync("acme", "ali", Ct));
    }

    [Fact]
    public async Task Grants_are_set_replaced_removed_and_listed_in_repository_order()
    {
        await CreateOrganizationAsync("acme");
        await Store.Teams.TryCreateAsync(new("acme", "devs", null), Ct);
        foreach (var repository in RepositoryNames)
        {
            await Store.Teams.SetRepositoryAsync(new("acme", "devs", repository, TeamPermit.Read), Ct);
        }
        await Store.Teams.SetRepositoryAsync(new("acme", "devs", "app", TeamPermit.Write), Ct);

        Assert.True(await Store.Teams.RemoveRepositoryAsync("acme", "devs", "z", Ct));
        Assert.False(await Store.Teams.RemoveRepositoryAsync("acme", "devs", "z", Ct));
        Assert.False(await Store.Teams.RemoveRepositoryAsync("acme", "ops", "app", Ct));

        var grants = await Store.Teams.ListRepositoriesAsync("acme", "devs", Ct);
        Assert.Equal(Ordinal(RepositoryNames.Where(r => r != "z")), grants.Select(g => g.Repository));
        Assert.Equal(new TeamRepository("acme", "devs", "app", TeamPermit.Write), grants.Single(g => g.Repository == "app"));
        Assert.Empty(await Store.Teams.ListRepositoriesAsync("acme", "ops", Ct));
    }

    [Fact]
    public async Task Grants_on_a_repository_are_listed_by_team_and_scoped_to_the_repository()
    {
        await CreateOrganizationAsync("acme");
        await CreateOrganizationAsync("other");
        foreach (var team in new[] { "w", "r", "none" })
        {
            await Store.Teams.TryCreateAsync(new("acme", team, null), Ct);
        }
        await Store.Teams.SetRepositoryAsync(new("acme", "w", "a/b", TeamPermit.Write), Ct);
        await Store.Teams.SetRepositoryAsync(new("acme", "r", "a/b", TeamPermit.Read), Ct);
        await Store.Teams.SetRepositoryAsync(new("acme", "none", "a/b/c", TeamPermit.Write), Ct);
        await Store.Teams.SetRepositoryAsync(new("acme", "none", "a", TeamPermit.Write), Ct);
        await Store.Teams.TryCreateAsync(new("other", "w", null), Ct);
        await Store.Teams.SetRepositoryAsync(new("other", "w", "a/b", TeamPermit.Read), Ct);

        Assert.Equal(
            [new TeamRepository("acme", "r", "a/b", TeamPermit.Read), new TeamRepository("acme", "w", "a/b", TeamPermit.Write)],
            await Store.Teams.ListGrantsAsync("acme", "a/b", Ct));
        Assert.Equal(["none"], (await Store.Teams.ListGrantsAsync("acme", "a", Ct)).Select(g => g.Team));
        Assert.Equal([new TeamRepository("other", "w", "a/b", TeamPermit.Read)], await Store.Teams.ListGrantsAsync("other", "a/b", Ct));
        Assert.Empty(await Store.Teams.ListGrantsAsync("acme", "a/b/c/d", Ct));

        Assert.True(await Store.Teams.RemoveRepositoryAsync("acme", "w", "a/b", Ct));
        Assert.Equal(["r"], (await Store.Teams.ListGrantsAsync("acme", "a/b", Ct)).Select(g => g.Team));
    }

    [Fact]
    public async Task Deleting_a_team_removes_its_members_and_grants_and_a_new_team_starts_empty()
    {
        await CreateOrganizationAsync("acme");
        await Store.Teams.TryCreateAsync(new("acme", "devs", null), Ct);
        await Store.Teams.TryCreateAsync(new("acme", "ops", null), Ct);
        foreach (var team in new[] { "devs", "ops" })
        {
            await Store.Teams.SetMemberAsync(new("acme", team, "alice", TeamRole.Member), Ct);
            await Store.Teams.SetRepositoryAsync(new("acme", team, "app", TeamPermit.Write), Ct);
        }

        Assert.True(await Store.Teams.DeleteAsync("acme", "devs", Ct));
        Assert.False(await Store.Teams.DeleteAsync("acme", "devs", Ct));

        Assert.Null(await Store.Teams.GetAsync("acme", "devs", Ct));
        Assert.Equal(["ops"], (await Store.Teams.ListMembershipsAsync("acme", "alice", Ct)).Select(m => m.Team));
        Assert.Equal(["ops"], (await Store.Teams.ListGrantsAsync("acme", "app", Ct)).Select(g => g.Team));
        Assert.True(await Store.Teams.TryCreateAsync(new("acme", "devs", null), Ct));
        Assert.Empty(await Store.Teams.ListMembersAsync("acme", "devs", Ct));
        Assert.Empty(await Store.Teams.ListRepositoriesAsync("acme", "devs", Ct));
        Assert.Equal(["devs", "ops"], (await Store.Teams.ListAsync("acme", Ct)).Select(t => t.Name));
    }
}
