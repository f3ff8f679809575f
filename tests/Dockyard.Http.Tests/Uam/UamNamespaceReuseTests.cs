using System.Net;
using Dockyard.Core.Accounts;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using Microsoft.Extensions.DependencyInjection;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>
/// A namespace deleted and taken by someone else starts without the old owner's grants: a bearer token (a member's, or
/// an anonymous one for a public repository) issued before the new account was created acts on none of its
/// repositories, though it has not expired and its own user still exists.
/// </summary>
public sealed class UamNamespaceReuseTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    [Fact]
    public async Task Tokens_issued_for_a_deleted_organizations_repositories_reach_nothing_of_the_next_owner_of_its_name()
    {
        var founder = await Auth.AddUserAsync("reusefounder");
        var member = await Auth.AddUserAsync("reusemember");
        var newcomer = await Auth.AddUserAsync("reusenewcomer");
        var root = Auth.Client(founder);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization", new { name = "reusedorg", memberprivilege = 2 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization/adduser", new { orgname = "reusedorg", username = member, role = 4 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/repository", new { name = "app", ispublic = true, orgname = "reusedorg" }), HttpStatusCode.Created);
        await RegistryPush.PushImageAsync(root, "reusedorg/app", "v1");
        var memberToken = await TokenAsync(Auth.Client(member), "repository:reusedorg/app:pull,push");
        var anonymousToken = await TokenAsync(Auth.Client(null), "repository:reusedorg/app:pull");
        // Not used before the name changes hands: a node that served them remembers the old organization's age for up
        // to NamespaceAges.Freshness (30 s), and would honour them that long after the name is taken again.
        using var memberBearer = Auth.BearerClient(memberToken);
        using var anonymousBearer = Auth.BearerClient(anonymousToken);

        await ExpectAsync(await root.DeleteAsync("/uam/reusedorg/app"), HttpStatusCode.NoContent);
        await ExpectAsync(await root.DeleteAsync("/uam/reusedorg"), HttpStatusCode.NoContent);
        // Someone else creates an organization of the freed name, later than the tokens by more than the clock-skew
        // leeway, and pushes a private image to a repository of the old name.
        var accounts = Auth.Server.Services.GetRequiredService<IAccountStore>();
        Assert.True(await accounts.Organizations.TryCreateAsync(
            new Organization("reusedorg", null, null, null, null, MemberPrivilege.None, DateTimeOffset.UtcNow.AddSeconds(62)), newcomer, CancellationToken.None));
        var owner = Auth.Client(newcomer);
        await ExpectAsync(await PostJsonAsync(owner, "/uam/repository", new { name = "app", ispublic = false, orgname = "reusedorg" }), HttpStatusCode.Created);
        await RegistryPush.PushImageAsync(owner, "reusedorg/app", "v1");
        var secret = await RegistryPush.PushDescriptorAsync(owner, "reusedorg/app", RegistryPush.OciLayer, RegistryPush.RandomBytes(64));

        foreach (var bearer in new[] { memberBearer, anonymousBearer })
        {
            await ExpectErrorAsync(await bearer.GetAsync("/v2/reusedorg/app/manifests/v1"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            await ExpectErrorAsync(await bearer.GetAsync($"/v2/reusedorg/app/blobs/{secret.Digest}"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
        await ExpectErrorAsync(await memberBearer.PostAsync("/v2/reusedorg/app/blobs/uploads/", null), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/v2/reusedorg/app/manifests/v1")).StatusCode);
    }

    private async Task<string> TokenAsync(HttpClient client, string scope)
    {
        var token = await ExpectAsync(await client.GetAsync($"/uam/auth?service={Auth.Options.Service}&scope={Uri.EscapeDataString(scope)}"), HttpStatusCode.OK);
        return token.GetProperty("token").GetString()!;
    }
}
