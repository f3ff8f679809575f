using System.Net;
using Dockyard.Core.Accounts;

namespace Dockyard.Web.Tests.Pages;

/// <summary>Self sign-up through the page: UAM's rules (name, e-mail, password length, names already taken) and its hashing.</summary>
public sealed class SignUpTests
{
    [Fact]
    public async Task Signing_up_creates_a_hashed_account_and_signs_it_in()
    {
        await using var registry = await WebRegistry.StartAsync();
        using var session = new WebSession(registry.BaseAddress);

        using var response = await session.SubmitAsync("/signup",
            new Dictionary<string, string> { ["UserName"] = "carol", ["Email"] = "carol@example.com", ["Password"] = "carol-secret-1" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Signed in as <strong>carol</strong>", (await session.GetAsync("/")).Html);
        var stored = await registry.Accounts.Users.GetAsync("carol", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.False(stored.IsAdmin);
        Assert.True(PasswordHasher.Verify("carol-secret-1", stored.PasswordHash!));
        Assert.DoesNotContain("carol-secret-1", stored.PasswordHash);
        // The same account works on the API.
        using var api = registry.ApiClient("carol", "carol-secret-1");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/uam/user/carol")).StatusCode);
    }

    [Theory]
    [InlineData("dave", "dave@example.com", "short", HttpStatusCode.BadRequest, "at least 8 characters")]
    [InlineData("Dave!", "dave@example.com", "dave-secret-1", HttpStatusCode.BadRequest, "lower-case letters")]
    [InlineData("dave", "not-an-address", "dave-secret-1", HttpStatusCode.BadRequest, "e-mail address")]
    [InlineData("alice", "alice2@example.com", "alice-secret-2", HttpStatusCode.Conflict, "already taken")]
    public async Task What_the_UAM_route_refuses_is_shown_on_the_form_and_creates_nothing(string name, string email, string password,
        HttpStatusCode status, string message)
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        using var session = new WebSession(registry.BaseAddress);

        using var response = await session.SubmitAsync("/signup", new Dictionary<string, string> { ["UserName"] = name, ["Email"] = email, ["Password"] = password });

        Assert.Equal(status, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains(message, html);
        Assert.DoesNotContain(password, html);
        Assert.DoesNotContain(session.Cookies, c => c.Name == WebRegistration.SessionCookie);
        if (name == "dave")
        {
            Assert.Null(await registry.Accounts.Users.GetAsync("dave", CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_sign_up_without_the_antiforgery_token_is_refused()
    {
        await using var registry = await WebRegistry.StartAsync();
        using var session = new WebSession(registry.BaseAddress);

        using var response = await session.PostAsync("/signup",
            new Dictionary<string, string> { ["UserName"] = "carol", ["Email"] = "carol@example.com", ["Password"] = "carol-secret-1" }, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await registry.Accounts.Users.GetAsync("carol", CancellationToken.None));
    }
}
