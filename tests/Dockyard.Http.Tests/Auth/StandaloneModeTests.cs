using System.Net;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Auth;

/// <summary><c>standalone = true</c>: V2 stays open; UAM works, and Basic credentials name who creates an organization.</summary>
public sealed class StandaloneModeTests : IAsyncLifetime
{
    private AuthServer auth = null!;

    public async Task InitializeAsync() => auth = await AuthServer.StartAsync(standalone: true);

    public async Task DisposeAsync() => await auth.DisposeAsync();

    [Fact]
    public async Task V2_is_open_to_anonymous_callers()
    {
        var anonymous = auth.Client(null);
        await ExpectAsync(await anonymous.GetAsync("/v2/"), HttpStatusCode.OK);
        await RegistryPush.PushImageAsync(anonymous, "anyone/app", "v1");
        await ExpectAsync(await anonymous.GetAsync("/v2/anyone/app/tags/list"), HttpStatusCode.OK);
        var catalog = await ExpectAsync(await anonymous.GetAsync("/v2/_catalog"), HttpStatusCode.OK);
        Assert.Contains(catalog.GetProperty("repositories").EnumerateArray(), r => r.GetString() == "anyone/app");
        // Wrong credentials change nothing in open mode.
        await ExpectAsync(await auth.Client("nobody", "wrong-password").GetAsync("/v2/anyone/app/tags/list"), HttpStatusCode.OK);
        await ExpectAsync(await auth.Client(null).DeleteAsync($"/v2/anyone/app/manifests/v1"), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task The_basic_user_creates_and_administers_an_organization()
    {
        await ExpectAsync(await PostJsonAsync(auth.Client(null), "/uam/user/signup",
            new { name = "founder", email = "f@example.com", password = PasswordOf("founder") }), HttpStatusCode.Created);
        await auth.AddUserAsync("helper");
        var founder = auth.Client("founder");
        await ExpectAsync(await PostJsonAsync(founder, "/uam/organization", new { name = "startup", memberprivilege = 2 }), HttpStatusCode.Created);
        var members = await ExpectAsync(await founder.GetAsync("/uam/organization/startup/members"), HttpStatusCode.OK);
        var admin = Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.Equal("founder", admin.GetProperty("username").GetString());
        Assert.Equal(3, admin.GetProperty("role").GetInt32());
        await ExpectAsync(await PostJsonAsync(founder, "/uam/organization/adduser", new { username = "helper", role = 4, orgname = "startup" }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(founder, "/uam/repository", new { name = "app", ispublic = false, orgname = "startup" }), HttpStatusCode.Created);

        // Private repositories are not enforced in open mode.
        await RegistryPush.PushImageAsync(auth.Client(null), "startup/app", "v1");
        await ExpectAsync(await auth.Client(null).GetAsync("/v2/startup/app/tags/list"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Creating_an_organization_needs_someone_to_be_its_admin()
    {
        await ExpectErrorAsync(await PostJsonAsync(auth.Client(null), "/uam/organization", new { name = "orphan" }), HttpStatusCode.Forbidden, "DENIED");
        await ExpectErrorAsync(await PostJsonAsync(auth.Client("nobody", "wrong-password"), "/uam/organization", new { name = "orphan" }),
            HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task No_tokens_are_issued()
    {
        await ExpectErrorAsync(await auth.Client(null).GetAsync("/uam/auth?service=token-service&scope=repository:a/b:pull"), HttpStatusCode.NotFound, "UNSUPPORTED");
    }
}
