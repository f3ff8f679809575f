using System.Net;
using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Pages;

/// <summary>Signing in and out through the pages, with the accounts and the credential check every other door uses.</summary>
public sealed class SignInTests
{
    [Fact]
    public async Task The_account_password_signs_in_with_an_HttpOnly_SameSite_Strict_cookie_and_a_wrong_one_does_not()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        using var session = new WebSession(registry.BaseAddress);

        using (var wrong = await session.PostAsync("/signin", new Dictionary<string, string> { ["UserName"] = "alice", ["Password"] = "nope" },
            await session.TokenFromAsync("/signin")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Invalid user name or password.", await wrong.Content.ReadAsStringAsync());
            Assert.DoesNotContain(session.Cookies, c => c.Name == WebRegistration.SessionCookie);
        }

        using var right = await session.PostAsync("/signin",
            new Dictionary<string, string> { ["UserName"] = "alice", ["Password"] = "alice-secret-1", ["ReturnUrl"] = "https://evil.example/" },
            await session.TokenFromAsync("/signin"));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", right.Headers.Location?.OriginalString);
        var setCookie = right.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(WebRegistration.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Signed in as <strong>alice</strong>", (await session.GetAsync("/")).Html);

        using var signOut = await session.PostAsync("/signout", new Dictionary<string, string>(), await session.TokenFromAsync("/"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.DoesNotContain("Signed in as", (await session.GetAsync("/")).Html);
    }

    [Fact]
    public async Task Posts_without_the_antiforgery_token_are_refused()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        using var api = registry.ApiClient("alice", "alice-secret-1");
        await Dockyard.Testing.TestImage.PushAsync(api, "alice/app", "v1");
        using var session = new WebSession(registry.BaseAddress);

        using (var signIn = await session.PostAsync("/signin", new Dictionary<string, string> { ["UserName"] = "alice", ["Password"] = "alice-secret-1" }, null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
            Assert.DoesNotContain(session.Cookies, c => c.Name == WebRegistration.SessionCookie);
        }
        await session.SignInAsync("alice", "alice-secret-1");
        using (var visibility = await session.PostAsync("/repositories/alice/app?handler=Visibility",
            new Dictionary<string, string> { ["MakePublic"] = "true" }, null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, visibility.StatusCode);
        }
        using (var delete = await session.PostAsync("/delete-tag/alice/app?tag=v1", new Dictionary<string, string>(), "forged-token"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        }
        // Neither change happened: still private (anonymous sees nothing), the tag still there.
        using var anonymous = new WebSession(registry.BaseAddress);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/repositories/alice/app")).Status);
        using var api2 = registry.ApiClient("alice", "alice-secret-1");
        Assert.Equal(HttpStatusCode.OK, (await api2.GetAsync("/v2/alice/app/manifests/v1")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_sessions_signed_in_with_the_old_password()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        using var session = new WebSession(registry.BaseAddress);
        await session.SignInAsync("alice", "alice-secret-1");
        Assert.Contains("Signed in as", (await session.GetAsync("/")).Html);

        var users = registry.Server.Services.GetRequiredService<UserService>();
        await users.ChangePasswordAsync(new Principal("admin", true), "alice", null, "alice-secret-2", null, CancellationToken.None);

        // The cookie names the old password: the caller is anonymous again, sent to sign in for management, and the
        // stale cookie is removed.
        Assert.DoesNotContain("Signed in as", (await session.GetAsync("/")).Html);
        using var confirm = await session.Client.GetAsync("/delete-tag/alice/app?tag=v1");
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.DoesNotContain(session.Cookies, c => c.Name == WebRegistration.SessionCookie);
        await session.SignInAsync("alice", "alice-secret-2");
        Assert.Contains("Signed in as", (await session.GetAsync("/")).Html);
    }
}
