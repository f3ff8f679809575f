using System.Net;
using Dockyard.Core.Accounts;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>
/// <c>DELETE /uam/user/&lt;name&gt;</c>: administrators only; a user who owns repositories or signs in through LDAP is
/// refused with 409; a deleted user's memberships go and their Basic credentials and bearer tokens stop at once.
/// </summary>
public sealed class UamUserDeletionTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    [Fact]
    public async Task A_deleted_users_password_and_token_stop_working_at_once_and_their_memberships_go()
    {
        var admin = await Auth.AddUserAsync("deladmin", admin: true);
        var user = await Auth.AddUserAsync("deluser");
        await ExpectAsync(await PostJsonAsync(Auth.Client(admin), "/uam/organization", new { name = "delorg" }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(Auth.Client(admin), "/uam/organization/adduser", new { orgname = "delorg", username = user, role = 4 }),
            HttpStatusCode.Created);
        using var basic = Auth.Client(user);
        await ExpectAsync(await basic.GetAsync($"/uam/user/{user}"), HttpStatusCode.OK);
        var token = await ExpectAsync(await basic.GetAsync($"/uam/auth?service={Auth.Options.Service}&scope={Uri.EscapeDataString("repository:deluser/app:pull")}"),
            HttpStatusCode.OK);
        using var bearer = Auth.BearerClient(token.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await bearer.GetAsync("/v2/deluser/app/tags/list")).StatusCode);

        await ExpectErrorAsync(await Auth.Client(user).DeleteAsync($"/uam/user/{admin}"), HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{user}"), HttpStatusCode.NoContent);

        // The same clients, which just succeeded: Basic (remembered for a minute otherwise) and the unexpired token.
        await ExpectErrorAsync(await basic.GetAsync($"/uam/user/{admin}"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ExpectErrorAsync(await bearer.GetAsync("/v2/deluser/app/tags/list"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var accounts = Auth.Server.Services.GetRequiredService<IAccountStore>();
        Assert.Null(await accounts.Organizations.GetMemberAsync("delorg", user, CancellationToken.None));
        await ExpectErrorAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{user}"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_only_administrator_of_an_organization_is_refused_until_another_member_is_one()
    {
        var admin = await Auth.AddUserAsync("soleadmin", admin: true);
        var founder = await Auth.AddUserAsync("founder");
        var colleague = await Auth.AddUserAsync("colleague");
        await ExpectAsync(await PostJsonAsync(Auth.Client(founder), "/uam/organization", new { name = "foundedorg" }), HttpStatusCode.Created);

        await ExpectErrorAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{founder}"), HttpStatusCode.Conflict, "CONFLICT");

        await ExpectAsync(await PostJsonAsync(Auth.Client(founder), "/uam/organization/adduser", new { orgname = "foundedorg", username = colleague, role = 3 }),
            HttpStatusCode.Created);
        await ExpectAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{founder}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_name_deleted_and_created_again_does_not_inherit_the_old_accounts_unexpired_token()
    {
        var admin = await Auth.AddUserAsync("reuseadmin", admin: true);
        var user = await Auth.AddUserAsync("reuser");
        using var basic = Auth.Client(user);
        var token = await ExpectAsync(await basic.GetAsync($"/uam/auth?service={Auth.Options.Service}&scope={Uri.EscapeDataString("repository:reuser/app:pull")}"),
            HttpStatusCode.OK);
        using var bearer = Auth.BearerClient(token.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await bearer.GetAsync("/v2/reuser/app/tags/list")).StatusCode);
        await ExpectAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{user}"), HttpStatusCode.NoContent);

        // Someone else signs up with the freed name, later than the token by more than the minute of clock-skew leeway.
        var accounts = Auth.Server.Services.GetRequiredService<IAccountStore>();
        Assert.True(await accounts.Users.TryCreateAsync(
            new User(user, "new@example.test", null, null, null, false, User.DatabaseSource, DateTimeOffset.UtcNow.AddSeconds(62)), CancellationToken.None));

        await ExpectErrorAsync(await bearer.GetAsync("/v2/reuser/app/tags/list"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_user_who_owns_repositories_an_ldap_user_and_oneself_are_refused_with_409()
    {
        var admin = await Auth.AddUserAsync("deladmin2", admin: true);
        var owner = await Auth.AddUserAsync("delowner");
        using var api = Auth.Client(owner);
        await TestImage.PushAsync(api, "delowner/app", "v1");
        var accounts = Auth.Server.Services.GetRequiredService<IAccountStore>();
        await accounts.Users.TryCreateAsync(new User("delldap", null, null, null, null, false, User.LdapSource, DateTimeOffset.UtcNow), CancellationToken.None);

        await ExpectErrorAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{owner}"), HttpStatusCode.Conflict, "CONFLICT");
        await ExpectErrorAsync(await Auth.Client(admin).DeleteAsync("/uam/user/delldap"), HttpStatusCode.Conflict, "CONFLICT");
        await ExpectErrorAsync(await Auth.Client(admin).DeleteAsync($"/uam/user/{admin}"), HttpStatusCode.Conflict, "CONFLICT");

        Assert.NotNull(await accounts.Users.GetAsync(owner, CancellationToken.None));
        Assert.NotNull(await accounts.Users.GetAsync("delldap", CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v2/delowner/app/manifests/v1")).StatusCode);
    }
}
