using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>Deleting a user: their memberships go with them, everyone else's stay, and the name is free again.</summary>
public abstract partial class AccountStoreConformance
{
    [Fact]
    public async Task Deleting_a_user_removes_their_memberships_and_frees_the_name()
    {
        await CreateOrganizationAsync("acme", "alice");
        await CreateOrganizationAsync("globex", "carol");
        Assert.True(await Store.Users.TryCreateAsync(NewUser("bob"), Ct));
        await Store.Organizations.SetMemberAsync(new OrganizationMember("acme", "bob", OrganizationRole.Member), Ct);
        await Store.Organizations.SetMemberAsync(new OrganizationMember("globex", "bob", OrganizationRole.Admin), Ct);
        Assert.True(await Store.Teams.TryCreateAsync(new Team("acme", "devs", null), Ct));
        await Store.Teams.SetMemberAsync(new TeamMember("acme", "devs", "bob", TeamRole.Admin), Ct);
        await Store.Teams.SetMemberAsync(new TeamMember("acme", "devs", "alice", TeamRole.Member), Ct);
        var grant = new TeamRepository("acme", "devs", "app", TeamPermit.Write);
        await Store.Teams.SetRepositoryAsync(grant, Ct);

        Assert.True(await Store.Users.DeleteAsync("bob", Ct));

        Assert.Null(await Store.Users.GetAsync("bob", Ct));
        Assert.Null(await Store.Organizations.GetMemberAsync("acme", "bob", Ct));
        Assert.Null(await Store.Organizations.GetMemberAsync("globex", "bob", Ct));
        Assert.Empty(await Store.Teams.ListMembershipsAsync("acme", "bob", Ct));
        Assert.Equal(["alice"], (await Store.Teams.ListMembersAsync("acme", "devs", Ct)).Select(m => m.User));
        Assert.Equal([grant], await Store.Teams.ListRepositoriesAsync("acme", "devs", Ct));
        Assert.Equal(["alice"], (await Store.Organizations.ListMembersAsync("acme", Ct)).Select(m => m.User));
        Assert.DoesNotContain("bob", (await Store.Users.ListAsync(null, 100, Ct)).Select(u => u.Name));
        // The name is free: a new user (or an organization) may take it, and starts with no memberships.
        Assert.True(await Store.Users.TryCreateAsync(NewUser("bob"), Ct));
        Assert.Null(await Store.Organizations.GetMemberAsync("acme", "bob", Ct));
    }

    [Fact]
    public async Task Deleting_a_name_that_is_no_user_changes_nothing()
    {
        await CreateOrganizationAsync("acme", "alice");

        Assert.False(await Store.Users.DeleteAsync("acme", Ct));
        Assert.False(await Store.Users.DeleteAsync("nobody", Ct));

        Assert.NotNull(await Store.Organizations.GetAsync("acme", Ct));
        Assert.False(await Store.Users.TryCreateAsync(NewUser("acme"), Ct));
        Assert.NotNull(await Store.Organizations.GetMemberAsync("acme", "alice", Ct));
    }
}
