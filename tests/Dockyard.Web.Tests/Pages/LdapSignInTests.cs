using System.Net;
using Dockyard.Testing;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// The sign-in page with <c>[auth_server] authn = authn_ldap</c> against the private slapd that the test command starts
/// (infra/scripts/ldap-server.sh): a directory account signs in as it logs in with docker, a wrong password does not,
/// and a filter-shaped user name is only a wrong name.
/// </summary>
public sealed class LdapSignInTests
{
    private const string AlicePassword = "alice-secret";

    [Fact]
    public async Task A_directory_account_signs_in_and_a_wrong_password_or_a_filter_shaped_name_does_not()
    {
        if (DirectoryAddress() is not { } address)
        {
            return;
        }
        await using var registry = await WebRegistry.StartAsync(extra: new Dictionary<string, string?>
        {
            ["auth_server:authn"] = "authn_ldap",
            ["authn_ldap:addr"] = address,
            ["authn_ldap:domain"] = Environment.GetEnvironmentVariable("DOCKYARD_TEST_LDAP_BASE") is { Length: > 0 } b ? b : "ou=people,dc=dockyard,dc=test",
        });
        using var session = new WebSession(registry.BaseAddress);

        foreach (var (user, password) in new[] { ("alice", "wrong"), ("bob", AlicePassword), ("a)(uid=*", "x") })
        {
            using var refused = await session.PostAsync("/signin", new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password },
                await session.TokenFromAsync("/signin"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.DoesNotContain(session.Cookies, c => c.Name == WebRegistration.SessionCookie);
        }

        using var signedIn = await session.PostAsync("/signin", new Dictionary<string, string> { ["UserName"] = "alice", ["Password"] = AlicePassword },
            await session.TokenFromAsync("/signin"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("Signed in as <strong>alice</strong>", (await session.GetAsync("/")).Html);
        // The first sign-in made the directory account a registry user, as a first docker login does.
        Assert.NotNull(await registry.Accounts.Users.GetAsync("alice", CancellationToken.None));
    }

    private static string? DirectoryAddress()
    {
        var url = Environment.GetEnvironmentVariable("DOCKYARD_TEST_LDAP_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            RequiredTool.Missing("slapd", "is not running (DOCKYARD_TEST_LDAP_URL is unset; infra/scripts/ldap-server.sh start, or ./test.sh, starts it)");
            return null;
        }
        var uri = new Uri(url);
        return $"{uri.Host}:{uri.Port}";
    }
}
