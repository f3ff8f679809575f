using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>Users: create, the shared namespace with organizations, update, ordinal listing.</summary>
public abstract partial class AccountStoreConformance
{
    [Fact]
    public async Task A_created_user_is_returned_with_every_field()
    {
        var full = NewUser("alice", admin: true) with { Comment = "first" };
        var sparse = new User("bob", null, null, null, null, false, User.LdapSource, Created);

        Assert.True(await Store.Users.TryCreateAsync(full, Ct));
        Assert.True(await Store.Users.TryCreateAsync(sparse, Ct));

        Assert.Equal(full, await Store.Users.GetAsync("alice", Ct));
        Assert.Equal(sparse, await Store.Users.GetAsync("bob", Ct));
        Assert.Null(await Store.Users.GetAsync("carol", Ct));
        Assert.Null(await Store.Users.GetAsync("ALICE", Ct));
    }

    [Fact]
    public async Task Creating_a_user_twice_fails_and_keeps_the_first()
    {
        Assert.True(await Store.Users.TryCreateAsync(NewUser("alice"), Ct));

        Assert.False(await Store.Users.TryCreateAsync(NewUser("alice", admin: true) with { Email = "other@example.com" }, Ct));

        Assert.Equal(NewUser("alice"), await Store.Users.GetAsync("alice", Ct));
    }

    [Fact]
    public async Task A_user_cannot_take_an_organization_name()
    {
        await CreateOrganizationAsync("acme");

        Assert.False(await Store.Users.TryCreateAsync(NewUser("acme"), Ct));

        Assert.Null(await Store.Users.GetAsync("acme", Ct));
        Assert.NotNull(await Store.Organizations.GetAsync("acme", Ct));
        Assert.DoesNotContain("acme", (await Store.Users.ListAsync(null, 100, Ct)).Select(u => u.Name));
    }

    [Fact]
    public async Task Update_replaces_the_fields_of_an_existing_user_only()
    {
        await Store.Users.TryCreateAsync(NewUser("alice"), Ct);
        await CreateOrganizationAsync("acme");
        var changed = new User("alice", null, "pbkdf2$new", "Alice A.", "promoted", true, User.LdapSource, Created);

        Assert.True(await Store.Users.UpdateAsync(changed, Ct));
        Assert.False(await Store.Users.UpdateAsync(NewUser("nobody"), Ct));
        Assert.False(await Store.Users.UpdateAsync(NewUser("acme"), Ct));

        Assert.Equal(changed, await Store.Users.GetAsync("alice", Ct));
        Assert.Null(await Store.Users.GetAsync("nobody", Ct));
        Assert.Null(await Store.Users.GetAsync("acme", Ct));
    }

    [Fact]
    public async Task Users_are_listed_in_ordinal_order_with_an_exclusive_after()
    {
        foreach (var name in TrickyNames)
        {
            Assert.True(await Store.Users.TryCreateAsync(NewUser(name), Ct));
        }
        Assert.True(await Store.Organizations.TryCreateAsync(NewOrganization("a1"), "ab", Ct));
        var expected = Ordinal(TrickyNames);

        Assert.Equal(expected, (await Store.Users.ListAsync(null, 100, Ct)).Select(u => u.Name));
        Assert.Equal(expected.Skip(3).Take(2), (await Store.Users.ListAsync(expected[2], 2, Ct)).Select(u => u.Name));
        Assert.Equal(["a9z"], (await Store.Users.ListAsync("a1", 1, Ct)).Select(u => u.Name));
        Assert.Empty(await Store.Users.ListAsync(expected[^1], 10, Ct));
        for (var size = 1; size <= 4; size++)
        {
            Assert.Equal(expected, await PageThroughAsync(async (after, limit) =>
                [.. (await Store.Users.ListAsync(after, limit, Ct)).Select(u => u.Name)], size));
        }
    }

    [Fact]
    public async Task Of_concurrent_claims_of_one_name_exactly_one_wins()
    {
        await Store.Users.TryCreateAsync(NewUser("founder"), Ct);
        for (var round = 0; round < 3; round++)
        {
            var name = "contested" + round;
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                start.Wait(Ct);
                return i % 2 == 0
                    ? await Store.Users.TryCreateAsync(NewUser(name) with { Comment = "racer " + i }, Ct)
                    : await Store.Organizations.TryCreateAsync(NewOrganization(name), "founder", Ct);
            }, Ct)).ToList();

            start.Set();
            var results = await Task.WhenAll(racers);

            Assert.Single(results, won => won);
            var user = await Store.Users.GetAsync(name, Ct);
            var organization = await Store.Organizations.GetAsync(name, Ct);
            Assert.True(user is null != (organization is null), "the name belongs to exactly one user or organization");
            Assert.Equal(organization is null ? [] : ["founder"], (await Store.Organizations.ListMembersAsync(name, Ct)).Select(m => m.User));
        }
    }
}
