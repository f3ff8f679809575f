using Dockyard.Core.Accounts;

namespace Dockyard.Conformance.Accounts;

/// <summary>Repository policies: create once, update (visibility, comment, owner), delete, listing per namespace in name order.</summary>
public abstract partial class AccountStoreConformance
{
    [Fact]
    public async Task A_created_policy_is_returned_and_cannot_be_created_twice()
    {
        var policy = new RepositoryPolicy("alice", "tools/app", false, "private tools", Created, "alice");
        var open = new RepositoryPolicy("alice", "web", true, null, Created);

        Assert.True(await Store.Repositories.TryCreateAsync(policy, Ct));
        Assert.True(await Store.Repositories.TryCreateAsync(open, Ct));
        Assert.False(await Store.Repositories.TryCreateAsync(policy with { IsPublic = true }, Ct));

        Assert.Equal(policy, await Store.Repositories.GetAsync("alice", "tools/app", Ct));
        Assert.Equal(open, await Store.Repositories.GetAsync("alice", "web", Ct));
        Assert.Null(await Store.Repositories.GetAsync("alice", "tools", Ct));
        Assert.Null(await Store.Repositories.GetAsync("bob", "web", Ct));
    }

    [Fact]
    public async Task Update_replaces_visibility_and_comment_of_an_existing_policy_only()
    {
        var policy = new RepositoryPolicy("acme", "app", false, "before", Created);
        await Store.Repositories.TryCreateAsync(policy, Ct);

        Assert.True(await Store.Repositories.UpdateAsync(policy with { IsPublic = true, Comment = null }, Ct));
        Assert.False(await Store.Repositories.UpdateAsync(policy with { Name = "missing" }, Ct));

        Assert.Equal(policy with { IsPublic = true, Comment = null }, await Store.Repositories.GetAsync("acme", "app", Ct));
        Assert.Null(await Store.Repositories.GetAsync("acme", "missing", Ct));
    }

    [Fact]
    public async Task Update_changes_the_owner_as_adoption_does()
    {
        var policy = new RepositoryPolicy("ghost", "app", false, null, Created);
        await Store.Repositories.TryCreateAsync(policy, Ct);
        Assert.Null((await Store.Repositories.GetAsync("ghost", "app", Ct))?.Owner);

        Assert.True(await Store.Repositories.UpdateAsync(policy with { Owner = "ghost" }, Ct));
        Assert.Equal("ghost", (await Store.Repositories.GetAsync("ghost", "app", Ct))?.Owner);
        Assert.Equal("ghost", Assert.Single(await Store.Repositories.ListAsync("ghost", Ct)).Owner);
    }

    [Fact]
    public async Task Delete_removes_a_policy_once()
    {
        await Store.Repositories.TryCreateAsync(new("acme", "app", true, null, Created), Ct);
        await Store.Repositories.TryCreateAsync(new("acme", "app/sub", true, null, Created), Ct);

        Assert.True(await Store.Repositories.DeleteAsync("acme", "app", Ct));
        Assert.False(await Store.Repositories.DeleteAsync("acme", "app", Ct));

        Assert.Null(await Store.Repositories.GetAsync("acme", "app", Ct));
        Assert.NotNull(await Store.Repositories.GetAsync("acme", "app/sub", Ct));
    }

    [Fact]
    public async Task Policies_are_listed_per_namespace_in_name_order()
    {
        string[] names = ["app", "a/b", "a.b", "a-b", "a0", "a_b", "a/b/c"];
        foreach (var name in names)
        {
            await Store.Repositories.TryCreateAsync(new("acme", name, false, null, Created), Ct);
        }
        await Store.Repositories.TryCreateAsync(new("acme2", "zzz", false, null, Created), Ct);
        await Store.Repositories.TryCreateAsync(new("acm", "aaa", false, null, Created), Ct);

        var listed = await Store.Repositories.ListAsync("acme", Ct);

        Assert.Equal(Ordinal(names), listed.Select(p => p.Name));
        Assert.All(listed, p => Assert.Equal("acme", p.Namespace));
        Assert.Equal(["zzz"], (await Store.Repositories.ListAsync("acme2", Ct)).Select(p => p.Name));
        Assert.Empty(await Store.Repositories.ListAsync("nobody", Ct));
    }
}
