using System.Net;

namespace Dockyard.Web.Tests.Pages;

/// <summary>The users page exists only for registry administrators: everyone else gets the 404 page, for reading and posting alike.</summary>
public sealed class UserAdministrationTests
{
    private const string AdminPassword = "root-secret-1";
    private const string BobPassword = "bob-secret-12";

    [Fact]
    public async Task Anonymous_and_ordinary_users_get_a_404_and_change_nothing()
    {
        await using var registry = await StartAsync();
        using var anonymous = new WebSession(registry.BaseAddress);
        using var bob = new WebSession(registry.BaseAddress);
        await bob.SignInAsync("bob", BobPassword);

        foreach (var session in new[] { anonymous, bob })
        {
            var (status, html) = await session.GetAsync("/admin/users");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("<h1>Not found</h1>", html);
            Assert.DoesNotContain("root", html);
            var token = await session.TokenFromAsync("/signin");
            using (var add = await session.PostAsync("/admin/users?handler=Add",
                new Dictionary<string, string> { ["NewName"] = "mallory", ["NewPassword"] = "mallory-secret-1", ["NewIsAdmin"] = "true" }, token))
            {
                Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
            }
            using (var promote = await session.PostAsync("/admin/users?handler=Admin",
                new Dictionary<string, string> { ["Target"] = "bob", ["MakeAdmin"] = "true" }, token))
            {
                Assert.Equal(HttpStatusCode.NotFound, promote.StatusCode);
            }
        }
        Assert.Null(await registry.Accounts.Users.GetAsync("mallory", CancellationToken.None));
        Assert.False((await registry.Accounts.Users.GetAsync("bob", CancellationToken.None))!.IsAdmin);
        Assert.DoesNotContain("href=\"/admin/users\"", (await bob.GetAsync("/")).Html);
    }

    [Fact]
    public async Task An_admin_lists_adds_and_promotes_users_but_cannot_demote_themselves()
    {
        await using var registry = await StartAsync();
        using var admin = new WebSession(registry.BaseAddress);
        await admin.SignInAsync("root", AdminPassword);

        var (status, html) = await admin.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<td>bob</td>", html);
        Assert.Contains("<td>root</td>", html);
        Assert.Contains("href=\"/admin/users\"", html);

        using (var add = await admin.SubmitAsync("/admin/users?handler=Add",
            new Dictionary<string, string> { ["NewName"] = "carol", ["NewPassword"] = "carol-secret-1", ["NewEmail"] = "" }, "/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        }
        using (var tooShort = await admin.SubmitAsync("/admin/users?handler=Add",
            new Dictionary<string, string> { ["NewName"] = "dave", ["NewPassword"] = "short" }, "/admin/users"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            Assert.Contains("at least 8 characters", await tooShort.Content.ReadAsStringAsync());
        }
        using (var promote = await admin.SubmitAsync("/admin/users?handler=Admin",
            new Dictionary<string, string> { ["Target"] = "bob", ["MakeAdmin"] = "true" }, "/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Redirect, promote.StatusCode);
        }
        using (var demoteSelf = await admin.SubmitAsync("/admin/users?handler=Admin",
            new Dictionary<string, string> { ["Target"] = "root", ["MakeAdmin"] = "false" }, "/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Conflict, demoteSelf.StatusCode);
        }
        using (var missing = await admin.SubmitAsync("/admin/users?handler=Admin",
            new Dictionary<string, string> { ["Target"] = "nobody", ["MakeAdmin"] = "true" }, "/admin/users"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var carol = await registry.Accounts.Users.GetAsync("carol", CancellationToken.None);
        Assert.NotNull(carol);
        Assert.False(carol.IsAdmin);
        Assert.True((await registry.Accounts.Users.GetAsync("bob", CancellationToken.None))!.IsAdmin);
        Assert.True((await registry.Accounts.Users.GetAsync("root", CancellationToken.None))!.IsAdmin);
        // Promoted at once: bob's next request sees the page.
        using var bob = new WebSession(registry.BaseAddress);
        await bob.SignInAsync("bob", BobPassword);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/admin/users")).Status);
    }

    [Fact]
    public async Task In_standalone_mode_every_signed_in_user_administers_as_the_API_lets_them_and_anonymous_still_gets_404()
    {
        await using var registry = await WebRegistry.StartAsync(standalone: true);
        await registry.AddUserAsync("bob", BobPassword);
        using var anonymous = new WebSession(registry.BaseAddress);
        using var bob = await registry.SignedInAsync("bob", BobPassword);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/admin/users")).Status);
        var (status, html) = await bob.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<td>bob</td>", html);
    }

    [Fact]
    public async Task An_admin_deletes_a_user_after_confirmation_which_ends_their_session_and_an_owner_is_refused()
    {
        await using var registry = await StartAsync();
        await registry.AddUserAsync("carol", "carol-secret-1");
        using (var api = registry.ApiClient("carol", "carol-secret-1"))
        {
            await Dockyard.Testing.TestImage.PushAsync(api, "carol/app", "v1");
        }
        using var admin = await registry.SignedInAsync("root", AdminPassword);
        using var bob = await registry.SignedInAsync("bob", BobPassword);

        // Only administrators see the confirmation page or may post to it.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/admin/delete-user/root")).Status);
        using (var forged = await bob.PostAsync("/admin/delete-user/root", new Dictionary<string, string>(), await bob.TokenFromAsync("/")))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }
        Assert.Contains("href=\"/admin/delete-user/bob\"", (await admin.GetAsync("/admin/users")).Html);
        var (status, confirm) = await admin.GetAsync("/admin/delete-user/bob");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Delete user <code>bob</code>?", confirm);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/delete-user/nobody")).Status);
        using (var withoutToken = await admin.PostAsync("/admin/delete-user/bob", new Dictionary<string, string>(), null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        }

        using (var refused = await admin.SubmitAsync("/admin/delete-user/carol", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("still owns repositories", await refused.Content.ReadAsStringAsync());
        }
        using (var deleted = await admin.SubmitAsync("/admin/delete-user/bob", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            Assert.Equal("/admin/users?deleted=bob", deleted.Headers.Location?.OriginalString);
        }

        Assert.Null(await registry.Accounts.Users.GetAsync("bob", CancellationToken.None));
        Assert.NotNull(await registry.Accounts.Users.GetAsync("carol", CancellationToken.None));
        Assert.DoesNotContain("Signed in as", (await bob.GetAsync("/")).Html);
        using var again = new WebSession(registry.BaseAddress);
        using var signIn = await again.PostAsync("/signin", new Dictionary<string, string> { ["UserName"] = "bob", ["Password"] = BobPassword },
            await again.TokenFromAsync("/signin"));
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    private static async Task<WebRegistry> StartAsync()
    {
        var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("root", AdminPassword, admin: true);
        await registry.AddUserAsync("bob", BobPassword);
        return registry;
    }
}
