using System.Net;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>UAM changes take effect on the V2 API at once: membership, team grants, visibility, team admins.</summary>
public sealed class UamAccessChangeTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    [Fact]
    public async Task Membership_grants_and_visibility_changes_apply_immediately()
    {
        var admin = await Auth.AddUserAsync("chadmin");
        var member = await Auth.AddUserAsync("chmember");
        var root = Auth.Client(admin);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization", new { name = "chorg", memberprivilege = 4 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/repository", new { name = "app", ispublic = false, orgname = "chorg" }), HttpStatusCode.Created);
        await RegistryPush.PushImageAsync(root, "chorg/app", "v1");
        var client = Auth.Client(member);
        const string Tags = "/v2/chorg/app/tags/list";

        await ExpectAsync(await client.GetAsync(Tags), HttpStatusCode.Forbidden);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization/adduser", new { username = member, role = 4, orgname = "chorg" }), HttpStatusCode.Created);
        await ExpectAsync(await client.GetAsync(Tags), HttpStatusCode.Forbidden);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team", new { teamname = "t", orgname = "chorg" }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/adduser", new { teamname = "t", orgname = "chorg", username = member, role = 5 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/addrepository", new { orgname = "chorg", reponame = "app", teamname = "t", permit = 3 }), HttpStatusCode.Created);
        await ExpectAsync(await client.GetAsync(Tags), HttpStatusCode.OK);
        await ExpectAsync(await client.PostAsync("/v2/chorg/app/blobs/uploads/", null), HttpStatusCode.Forbidden);

        // A team admin staffs the team but may not grant repositories.
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/team/addrepository", new { orgname = "chorg", reponame = "app", teamname = "t", permit = 2 }),
            HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await client.DeleteAsync($"/uam/team/removeuser/chorg/t/{member}"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.GetAsync(Tags), HttpStatusCode.Forbidden);

        // Public: everyone reads; private again: only members per privilege.
        await ExpectAsync(await PutJsonAsync(root, "/uam/repository/chorg/app", new { ispublic = true }), HttpStatusCode.OK);
        await ExpectAsync(await Auth.Client(null).GetAsync(Tags), HttpStatusCode.OK);
        await ExpectAsync(await PutJsonAsync(root, "/uam/repository/chorg/app", new { ispublic = false }), HttpStatusCode.OK);
        await ExpectAsync(await Auth.Client(null).GetAsync(Tags), HttpStatusCode.Unauthorized);

        // Removed from the organization: nothing left.
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/adduser", new { teamname = "t", orgname = "chorg", username = member, role = 6 }), HttpStatusCode.Created);
        await ExpectAsync(await client.GetAsync(Tags), HttpStatusCode.OK);
        await ExpectAsync(await root.DeleteAsync($"/uam/organization/removeuser/chorg/{member}"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.GetAsync(Tags), HttpStatusCode.Forbidden);
        var team = await ExpectAsync(await root.GetAsync("/uam/team/chorg/t"), HttpStatusCode.OK);
        Assert.Equal(0, team.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task Deleting_a_team_revokes_its_grants()
    {
        var admin = await Auth.AddUserAsync("tdadmin");
        var member = await Auth.AddUserAsync("tdmember");
        var root = Auth.Client(admin);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization", new { name = "tdorg", memberprivilege = 4 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/organization/adduser", new { username = member, role = 4, orgname = "tdorg" }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/repository", new { name = "app", ispublic = false, orgname = "tdorg" }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team", new { teamname = "w", orgname = "tdorg" }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/adduser", new { teamname = "w", orgname = "tdorg", username = member, role = 6 }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(root, "/uam/team/addrepository", new { orgname = "tdorg", reponame = "app", teamname = "w", permit = 2 }), HttpStatusCode.Created);
        await RegistryPush.PushImageAsync(Auth.Client(member), "tdorg/app", "v1");
        await ExpectAsync(await root.DeleteAsync("/uam/team/tdorg/w"), HttpStatusCode.NoContent);
        await ExpectAsync(await Auth.Client(member).GetAsync("/v2/tdorg/app/tags/list"), HttpStatusCode.Forbidden);
        // Re-creating the team does not bring the old grants back.
        await ExpectAsync(await PostJsonAsync(root, "/uam/team", new { teamname = "w", orgname = "tdorg" }), HttpStatusCode.Created);
        var team = await ExpectAsync(await root.GetAsync("/uam/team/tdorg/w"), HttpStatusCode.OK);
        Assert.Equal(0, team.GetProperty("repositories").GetArrayLength());
        Assert.Equal(0, team.GetProperty("members").GetArrayLength());
    }
}
