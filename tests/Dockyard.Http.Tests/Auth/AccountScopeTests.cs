using System.Net;
using System.Net.Http.Headers;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// UAM changes need Basic credentials or a token with <c>registry:account:*</c>: a token issued for pulls and pushes
/// cannot make repositories public, delete them or create organizations, and an account token acts with the
/// account's current rights (an admin's stays an admin's).
/// </summary>
public sealed class AccountScopeTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    private async Task<HttpClient> BearerAsync(string user, string scope)
    {
        var token = await ExpectAsync(await Auth.Client(user).GetAsync($"/uam/auth?service={Auth.Options.Service}&scope={Uri.EscapeDataString(scope)}"),
            HttpStatusCode.OK);
        var client = Auth.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        return client;
    }

    [Theory]
    [InlineData("scopea", "")]
    [InlineData("scopeb", "repository:scopeb/app:pull")]
    [InlineData("scopec", "repository:scopec/app:pull,push,delete")]
    [InlineData("scoped", "registry:catalog:*")]
    public async Task Tokens_without_the_account_scope_change_nothing(string owner, string scope)
    {
        await Auth.AddUserAsync(owner);
        await ExpectAsync(await PostJsonAsync(Auth.Client(owner), "/uam/repository", new { name = "app", ispublic = false, username = owner }),
            HttpStatusCode.Created);
        var bearer = await BearerAsync(owner, scope);

        foreach (var response in new[]
        {
            await PutJsonAsync(bearer, $"/uam/repository/{owner}/app", new { ispublic = true }),
            await bearer.DeleteAsync($"/uam/{owner}/app"),
            await PostJsonAsync(bearer, "/uam/organization", new { name = owner + "org" }),
            await bearer.GetAsync($"/uam/repository/{owner}"),
        })
        {
            await ExpectErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.Contains("registry:account:*", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        var policy = await ExpectAsync(await Auth.Client(owner).GetAsync($"/uam/repository/{owner}/app"), HttpStatusCode.OK);
        Assert.False(policy.GetProperty("ispublic").GetBoolean());
        await ExpectAsync(await Auth.Client(owner).DeleteAsync($"/uam/{owner}/app"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_account_token_acts_as_the_account_with_its_current_rights()
    {
        var user = await Auth.AddUserAsync("scopeuser");
        var admin = await Auth.AddUserAsync("scopeadmin", admin: true);
        await ExpectAsync(await PostJsonAsync(Auth.Client(user), "/uam/repository", new { name = "web", ispublic = false, username = user }),
            HttpStatusCode.Created);

        var own = await BearerAsync(user, "registry:account:*");
        await ExpectAsync(await PutJsonAsync(own, "/uam/repository/scopeuser/web", new { ispublic = true }), HttpStatusCode.OK);
        var admins = await BearerAsync(admin, "registry:account:*");
        await ExpectAsync(await PutJsonAsync(admins, "/uam/repository/scopeuser/web", new { ispublic = false }), HttpStatusCode.OK);
        await ExpectAsync(await admins.DeleteAsync("/uam/scopeuser/web"), HttpStatusCode.NoContent);
        // Anonymous callers get no account scope at all.
        var anonymous = await ExpectAsync(await Auth.Client(null).GetAsync($"/uam/auth?service={Auth.Options.Service}&scope=registry:account:*"), HttpStatusCode.OK);
        var bearer = Auth.Client(null);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", anonymous.GetProperty("token").GetString());
        await ExpectAsync(await bearer.GetAsync("/uam/user/scopeuser"), HttpStatusCode.Unauthorized);
    }
}
