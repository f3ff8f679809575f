using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>Organizations: create with an admin, the shared namespace, members, cascading removal and deletion.</summary>
public abstract partial class AccountStoreConformance
{
    [Fact]
    public async Task A_created_organization_is_returned_with_its_admin()
    {
        await Store.Users.TryCreateAsync(NewUser("alice"), Ct);
        var organization = new Organization("acme", "ops@acme.example", "widgets", "https://acme.example", "Springfield", MemberPrivilege.Write, Created);

        Assert.True(await Store.Organizations.TryCreateAsync(organization, "alice", Ct));

        Assert.Equal(organization, await Store.Organizations.GetAsync("acme", Ct));
        Assert.Equal(new OrganizationMember("acme", "alice", OrganizationRole.Admin), await Store.Organizations.GetMemberAsync("acme", "alice", Ct));
        Assert.Equal([new OrganizationMember("acme", "alice", OrganizationRole.Admin)], await Store.Organizations.ListMembersAsync("acme", Ct));
        Assert.Null(await Store.Organizations.GetAsync("other", Ct));
    }

    [Fact]
    public async Task An_organization_cannot_take_a_user_or_organization_name()
    {
        await Store.Users.TryCreateAsync(NewUser("alice"), Ct);
        await Store.Users.TryCreateAsync(NewUser("bob"), Ct);
        await CreateOrganizationAsync("acme", "alice");

        Assert.False(await Store.Organizations.TryCreateAsync(NewOrganization("bob"), "alice", Ct));
        Assert.False(await Store.Organizations.TryCreateAsync(NewOrganization("acme", MemberPrivilege.Write), "bob", Ct));

        Assert.Null(await Store.Organizations.GetAsync("bob", Ct));
        Assert.Empty(await Store.Organizations.ListMembersAsync("bob", Ct));
        Assert.Equal(MemberPrivilege.Read, (await Store.Organizations.GetAsync("acme", Ct))!.MemberPrivilege);
        Assert.Null(await Store.Organizations.GetMemberAsync("acme", "bob", Ct));
    }

    [Fact]
    public async Task Organizations_are_listed_in_ordinal_order_without_users()
    {
        await Store.Users.TryCreateAsync(NewUser("owner"), Ct);
        foreach (var name in TrickyNames)
        {
            Assert.True(await Store.Organizations.TryCreateAsync(NewOrganization(name), "owner", Ct));
        }
        var expected = Ordinal(TrickyNames);

        Assert.Equal(expected, (await Store.Organizations.ListAsync(null, 100, Ct)).Select(o => o.Name));
        Assert.Equal(expected.Skip(5).Take(3), (await Store.Organizations.ListAsync(expected[4], 3, Ct)).Select(o => o.Name));
        Assert.Empty(await Store.Organizations.ListAsync(expected[^1], 10, Ct));
        for (var size = 1; size <= 3; size++)
        {
            Assert.Equal(expected, await PageThroughAsync(async (after, limit) =>
                [.. (await Store.Organizations.ListAsync(after, limit, Ct)).Select(o => o.Name)], size));
        }
    }

    [Fact]
    public async Task Members_are_added_changed_and_listed_in_user_order()
    {
        await CreateOrganizationAsync("acme", "owner");
        foreach (var name in TrickyNames)
        {
            await Store.Organizations.SetMemberAsync(new("acme", name, OrganizationRole.Member), Ct);
        }
        await Store.Organizations.SetMemberAsync(new("acme", "a0", OrganizationRole.Admin), Ct);

        Assert.Equal(new OrganizationMember("acme", "a0", OrganizationRole.Admin), await Store.Organizations.GetMemberAsync("acme", "a0", Ct));
        Assert.Null(await Store.Organizations.GetMemberAsync("acme", "stranger", Ct));
        var members = await Store.Organizations.ListMembersAsync("acme", Ct);
        Assert.Equal(Ordinal([.. TrickyNames, "owner"]), members.Select(m => m.User));
        Assert.All(members, m => Assert.Equal("acme", m.Organization));
        Assert.Equal(2, members.Count(m => m.Role == OrganizationRole.Admin));
    }

    [Fact]
    public async Task Removing_a_member_removes_their_teams_in_that_organization_only()
    {
        await CreateOrganizationAsync("acme");
        await CreateOrganizationAsync("other");
        foreach (var org in new[] { "acme", "other" })
        {
            await Store.Organizations.SetMemberAsync(new(org, "alice", OrganizationRole.Member), Ct);
            Assert.True(await Store.Teams.TryCreateAsync(new(org, "devs", null), Ct));
            await Store.Teams.SetMemberAsync(new(org, "devs", "alice", TeamRole.Member), Ct);
            await Store.Teams.SetMemberAsync(new(org, "devs", "bob", TeamRole.Member), Ct);
        }

        Assert.True(await Store.Organizations.RemoveMemberAsync("acme", "alice", Ct));
        Assert.False(await Store.Organizations.RemoveMemberAsync("acme", "alice", Ct));

        Assert.Null(await Store.Organizations.GetMemberAsync("acme", "alice", Ct));
        Assert.Empty(await Store.Teams.ListMembershipsAsync("acme", "alice", Ct));
        Assert.Equal(["bob"], (await Store.Teams.ListMembersAsync("acme", "devs", Ct)).Select(m => m.User));
        Assert.NotNull(await Store.Organizations.GetMemberAsync("other", "alice", Ct));
        Assert.Equal(["alice", "bob"], (await Store.Teams.ListMembersAsync("other", "devs", Ct)).Select(m => m.User));
    }

    [Fact]
    public async Task Deleting_an_organization_removes_members_teams_and_grants_and_frees_the_name()
    {
        await CreateOrganizationAsync("acme", "alice");
        await CreateOrganizationAsync("other", "alice");
        await Store.Organizations.SetMemberAsync(new("acme", "bob", OrganizationRole.Member), Ct);
        await Store.Teams.TryCreateAsync(new("acme", "devs", "the developers"), Ct);
        await Store.Teams.SetMemberAsync(new("acme", "devs", "bob", TeamRole.Admin), Ct);
        await Store.Teams.SetRepositoryAsync(new("acme", "devs", "app", TeamPermit.Write), Ct);

        Assert.True(await Store.Organizations.DeleteAsync("acme", Ct));
        Assert.False(await Store.Organizations.DeleteAsync("acme", Ct));

        Assert.Null(await Store.Organizations.GetAsync("acme", Ct));
        Assert.Empty(await Store.Organizations.ListMembersAsync("acme", Ct));
        Assert.Null(await Store.Teams.GetAsync("acme", "devs", Ct));
        Assert.Empty(await Store.Teams.ListMembershipsAsync("acme", "bob", Ct));
        Assert.Empty(await Store.Teams.ListGrantsAsync("acme", "app", Ct));
        Assert.Equal(["other"], (await Store.Organizations.ListAsync(null, 10, Ct)).Select(o => o.Name));
        Assert.NotNull(await Store.Organizations.GetMemberAsync("other", "alice", Ct));

        // The name is free again, and a new organization of that name starts empty.
        Assert.True(await Store.Organizations.TryCreateAsync(NewOrganization("acme"), "carol", Ct));
        Assert.Equal(["carol"], (await Store.Organizations.ListMembersAsync("acme", Ct)).Select(m => m.User));
        Assert.Empty(await Store.Teams.ListAsync("acme", Ct));
        Assert.True(await Store.Organizations.DeleteAsync("acme", Ct));
        Assert.True(await Store.Users.TryCreateAsync(NewUser("acme"), Ct));
    }
}
