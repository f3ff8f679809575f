using System.Globalization;
using System.Net;
using Dockyard.Http.Tests.Auth;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>Sign-up, organizations, members and teams through the UAM HTTP API with Basic credentials (enforced mode).</summary>
public sealed class UamOrganizationTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    private AuthServer Auth => fixture.Auth;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> SignUpAsync(string? name = null)
    {
        name ??= Unique("u");
        var user = await ExpectAsync(await PostJsonAsync(Auth.Client(null), "/uam/user/signup",
            new { name, email = name + "@example.com", password = PasswordOf(name), realname = "Real " + name }), HttpStatusCode.Created);
        Assert.Equal(name, user.GetProperty("name").GetString());
        Assert.False(user.TryGetProperty("password", out _));
        return name;
    }

    private async Task<string> CreateOrganizationAsync(string creator, int? memberPrivilege = null)
    {
        var name = Unique("org");
        var body = await ExpectAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization",
            new { name, email = "org@example.com", memberprivilege = memberPrivilege ?? 3 }), HttpStatusCode.Created);
        Assert.Equal(name, body.GetProperty("name").GetString());
        return name;
    }

    [Fact]
    public async Task SignUp_then_the_user_can_read_itself_and_is_listed()
    {
        var name = await SignUpAsync();
        var client = Auth.Client(name);
        var user = await ExpectAsync(await client.GetAsync($"/uam/user/{name}"), HttpStatusCode.OK);
        Assert.Equal(name + "@example.com", user.GetProperty("email").GetString());
        Assert.Equal("Real " + name, user.GetProperty("realname").GetString());
        var list = await ExpectAsync(await client.GetAsync("/uam/user?n=1000"), HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("users").EnumerateArray(), u => u.GetProperty("name").GetString() == name);
        await ExpectAsync(await Auth.Client(null).GetAsync($"/uam/user/{name}"), HttpStatusCode.Unauthorized);
        await ExpectAsync(await client.GetAsync("/uam/user/nosuchuser1"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_creator_becomes_admin_and_adds_admins_and_members()
    {
        var creator = await SignUpAsync();
        var member = await SignUpAsync();
        var second = await SignUpAsync();
        var org = await CreateOrganizationAsync(creator, 2);

        var organization = await ExpectAsync(await Auth.Client(member).GetAsync($"/uam/organization/{org}"), HttpStatusCode.OK);
        Assert.Equal(2, organization.GetProperty("memberprivilege").GetInt32());
        var members = await ExpectAsync(await Auth.Client(creator).GetAsync($"/uam/organization/{org}/members"), HttpStatusCode.OK);
        var only = Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.Equal(creator, only.GetProperty("username").GetString());
        Assert.Equal(3, only.GetProperty("role").GetInt32());

        // A non-member may neither add users nor see the members.
        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(member), "/uam/organization/adduser", new { username = member, role = 4, orgname = org }),
            HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await Auth.Client(member).GetAsync($"/uam/organization/{org}/members"), HttpStatusCode.Forbidden);

        var added = await ExpectAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization/adduser", new { username = member, role = 4, orgname = org }),
            HttpStatusCode.Created);
        Assert.Equal(4, added.GetProperty("role").GetInt32());
        // The numeric code may also arrive as a string, as the original clients sent it.
        await ExpectAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization/adduser", new { username = second, role = "3", orgname = org }),
            HttpStatusCode.Created);
        // A member is not an admin.
        await ExpectErrorAsync(await Auth.Client(member).DeleteAsync($"/uam/organization/removeuser/{org}/{second}"), HttpStatusCode.Forbidden, "DENIED");
        members = await ExpectAsync(await Auth.Client(member).GetAsync($"/uam/organization/{org}/members"), HttpStatusCode.OK);
        Assert.Equal(3, members.GetProperty("members").GetArrayLength());
        var listed = await ExpectAsync(await Auth.Client(member).GetAsync("/uam/organization?n=1000"), HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("organizations").EnumerateArray(), o => o.GetProperty("name").GetString() == org);
    }

    [Fact]
    public async Task The_last_admin_cannot_be_removed()
    {
        var creator = await SignUpAsync();
        var other = await SignUpAsync();
        var org = await CreateOrganizationAsync(creator);
        await ExpectErrorAsync(await Auth.Client(creator).DeleteAsync($"/uam/organization/removeuser/{org}/{creator}"), HttpStatusCode.Conflict, "CONFLICT");
        await ExpectAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization/adduser", new { username = other, role = 3, orgname = org }),
            HttpStatusCode.Created);
        await ExpectAsync(await Auth.Client(other).DeleteAsync($"/uam/organization/removeuser/{org}/{creator}"), HttpStatusCode.NoContent);
        await ExpectErrorAsync(await Auth.Client(other).DeleteAsync($"/uam/organization/removeuser/{org}/{other}"), HttpStatusCode.Conflict, "CONFLICT");
        await ExpectAsync(await Auth.Client(other).DeleteAsync($"/uam/organization/removeuser/{org}/{creator}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_by_adding_them_again_as_a_member()
    {
        var creator = await SignUpAsync();
        var other = await SignUpAsync();
        var org = await CreateOrganizationAsync(creator);
        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization/adduser", new { username = creator, role = 4, orgname = org }),
            HttpStatusCode.Conflict, "CONFLICT");
        var members = await ExpectAsync(await Auth.Client(creator).GetAsync($"/uam/organization/{org}/members"), HttpStatusCode.OK);
        Assert.Equal(3, Assert.Single(members.GetProperty("members").EnumerateArray()).GetProperty("role").GetInt32());

        // With a second admin either may step down, but then the one left may not.
        await ExpectAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization/adduser", new { username = other, role = 3, orgname = org }),
            HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(Auth.Client(creator), "/uam/organization/adduser", new { username = creator, role = 4, orgname = org }),
            HttpStatusCode.Created);
        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(other), "/uam/organization/adduser", new { username = other, role = 4, orgname = org }),
            HttpStatusCode.Conflict, "CONFLICT");
        // Re-adding the last admin as admin changes nothing and stays allowed.
        await ExpectAsync(await PostJsonAsync(Auth.Client(other), "/uam/organization/adduser", new { username = other, role = 3, orgname = org }),
            HttpStatusCode.Created);
    }

    [Fact]
    public async Task Teams_are_created_staffed_granted_and_deleted()
    {
        var admin = await SignUpAsync();
        var member = await SignUpAsync();
        var outsider = await SignUpAsync();
        var org = await CreateOrganizationAsync(admin, 4);
        var client = Auth.Client(admin);
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization/adduser", new { username = member, role = 4, orgname = org }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "app", ispublic = false, orgname = org }), HttpStatusCode.Created);

        await ExpectErrorAsync(await PostJsonAsync(Auth.Client(member), "/uam/team", new { teamname = "devs", orgname = org }), HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await PostJsonAsync(client, "/uam/team", new { teamname = "devs", comment = "developers", orgname = org }), HttpStatusCode.Created);
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/team", new { teamname = "devs", orgname = org }), HttpStatusCode.Conflict, "CONFLICT", "devs");

        var joined = await ExpectAsync(await PostJsonAsync(client, "/uam/team/adduser", new { teamname = "devs", orgname = org, username = member, role = 6 }),
            HttpStatusCode.Created);
        Assert.Equal(6, joined.GetProperty("role").GetInt32());
        await ExpectAsync(await PostJsonAsync(client, "/uam/team/adduser", new { teamname = "devs", orgname = org, username = admin, role = 5 }), HttpStatusCode.Created);
        // Team members must belong to the organization.
        await ExpectErrorAsync(await PostJsonAsync(client, "/uam/team/adduser", new { teamname = "devs", orgname = org, username = outsider, role = 6 }),
            HttpStatusCode.Conflict, "CONFLICT");

        var grant = await ExpectAsync(await PostJsonAsync(client, "/uam/team/addrepository", new { orgname = org, reponame = "app", teamname = "devs", permit = 2 }),
            HttpStatusCode.Created);
        Assert.Equal(2, grant.GetProperty("permit").GetInt32());
        await ExpectAsync(await PostJsonAsync(client, "/uam/team/addrepository", new { orgname = org, reponame = "app", teamname = "devs", permit = 3 }),
            HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(client, "/uam/team/addrepository", new { orgname = org, reponame = "nothere", teamname = "devs", permit = 3 }),
            HttpStatusCode.NotFound);

        var team = await ExpectAsync(await Auth.Client(member).GetAsync($"/uam/team/{org}/devs"), HttpStatusCode.OK);
        Assert.Equal("developers", team.GetProperty("comment").GetString());
        Assert.Equal(2, team.GetProperty("members").GetArrayLength());
        Assert.Equal(3, Assert.Single(team.GetProperty("repositories").EnumerateArray()).GetProperty("permit").GetInt32());
        var teams = await ExpectAsync(await Auth.Client(member).GetAsync($"/uam/team/{org}"), HttpStatusCode.OK);
        Assert.Single(teams.GetProperty("teams").EnumerateArray());
        await ExpectAsync(await Auth.Client(outsider).GetAsync($"/uam/team/{org}"), HttpStatusCode.Forbidden);
        var repository = await ExpectAsync(await client.GetAsync($"/uam/repository/{org}/app"), HttpStatusCode.OK);
        Assert.Equal("devs", Assert.Single(repository.GetProperty("teams").EnumerateArray()).GetProperty("teamname").GetString());

        await ExpectAsync(await client.DeleteAsync($"/uam/team/removerepository/{org}/devs/app"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.DeleteAsync($"/uam/team/removerepository/{org}/devs/app"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.DeleteAsync($"/uam/team/removeuser/{org}/devs/{member}"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.DeleteAsync($"/uam/team/removeuser/{org}/devs/{member}"), HttpStatusCode.NotFound);
        await ExpectErrorAsync(await Auth.Client(member).DeleteAsync($"/uam/team/{org}/devs"), HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await client.DeleteAsync($"/uam/team/{org}/devs"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.GetAsync($"/uam/team/{org}/devs"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_member_sees_a_teams_grant_on_a_private_repository_only_if_they_may_pull_it()
    {
        // Members get nothing by default (memberprivilege NONE); the private repository is the "core" team's alone.
        var admin = await SignUpAsync();
        var member = await SignUpAsync();
        var org = await CreateOrganizationAsync(admin, 4);
        var client = Auth.Client(admin);
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization/adduser", new { username = member, role = 4, orgname = org }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "merger-plans", ispublic = false, orgname = org }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "site", ispublic = true, orgname = org }), HttpStatusCode.Created);
        await ExpectAsync(await PostJsonAsync(client, "/uam/team", new { teamname = "core", orgname = org }), HttpStatusCode.Created);
        foreach (var repository in new[] { "merger-plans", "site" })
        {
            await ExpectAsync(await PostJsonAsync(client, "/uam/team/addrepository", new { orgname = org, reponame = repository, teamname = "core", permit = 3 }),
                HttpStatusCode.Created);
        }
        using (var pull = await Auth.Client(member).GetAsync($"/v2/{org}/merger-plans/tags/list"))
        {
            Assert.True(pull.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{(int)pull.StatusCode}");
        }

        // Before, the member read "merger-plans" here: a private repository's name to someone who may not pull it.
        var seen = await ExpectAsync(await Auth.Client(member).GetAsync($"/uam/team/{org}/core"), HttpStatusCode.OK);
        Assert.Equal(["site"], seen.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("reponame").GetString()));
        var all = await ExpectAsync(await client.GetAsync($"/uam/team/{org}/core"), HttpStatusCode.OK);
        Assert.Equal(2, all.GetProperty("repositories").GetArrayLength());
    }

    [Fact]
    public async Task To_an_outsider_a_team_that_exists_and_one_that_does_not_answer_alike()
    {
        var admin = await SignUpAsync();
        var outsider = await SignUpAsync();
        var org = await CreateOrganizationAsync(admin);
        await ExpectAsync(await PostJsonAsync(Auth.Client(admin), "/uam/team", new { teamname = "acquisitions", orgname = org }), HttpStatusCode.Created);
        var asOutsider = Auth.Client(outsider);

        // Before, "acquisitions" answered 403 and "nosuchteam" 404: probing told an outsider an organization's team names.
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/uam/team/{0}/{1}"), (HttpMethod.Delete, "/uam/team/{0}/{1}"),
            (HttpMethod.Delete, "/uam/team/removeuser/{0}/{1}/" + admin), (HttpMethod.Delete, "/uam/team/removerepository/{0}/{1}/app"),
        })
        {
            var answers = new List<string>();
            foreach (var team in new[] { "acquisitions", "nosuchteam" })
            {
                using var response = await asOutsider.SendAsync(new HttpRequestMessage(method, string.Format(CultureInfo.InvariantCulture, path, org, team)));
                var body = await response.Content.ReadAsStringAsync();
                answers.Add($"{(int)response.StatusCode} {body.Replace(team, "TEAM", StringComparison.Ordinal)}");
            }
            Assert.True(answers[0] == answers[1], $"{method} {path}: {answers[0]} / {answers[1]}");
        }
        foreach (var (teamname, reponame) in new[] { ("acquisitions", (string?)null), ("nosuchteam", null) })
        {
            await ExpectErrorAsync(await PostJsonAsync(asOutsider, "/uam/team/adduser", new { teamname, orgname = org, username = outsider, role = 6 }),
                HttpStatusCode.Forbidden, "DENIED");
            await ExpectErrorAsync(await PostJsonAsync(asOutsider, "/uam/team/addrepository", new { orgname = org, reponame = reponame ?? "app", teamname, permit = 3 }),
                HttpStatusCode.Forbidden, "DENIED");
        }
    }

    [Fact]
    public async Task An_organization_with_repositories_cannot_be_deleted()
    {
        var admin = await SignUpAsync();
        var org = await CreateOrganizationAsync(admin);
        var client = Auth.Client(admin);
        await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "app", ispublic = true, orgname = org }), HttpStatusCode.Created);
        await ExpectErrorAsync(await client.DeleteAsync($"/uam/{org}"), HttpStatusCode.Conflict, "CONFLICT");
        await ExpectAsync(await client.DeleteAsync($"/uam/{org}/app"), HttpStatusCode.NoContent);
        await ExpectErrorAsync(await Auth.Client(await SignUpAsync()).DeleteAsync($"/uam/{org}"), HttpStatusCode.Forbidden, "DENIED");
        await ExpectAsync(await client.DeleteAsync($"/uam/{org}"), HttpStatusCode.NoContent);
        await ExpectAsync(await client.GetAsync($"/uam/organization/{org}"), HttpStatusCode.NotFound);
        // The name is free again.
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization", new { name = org }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_changed_password_replaces_the_old_one()
    {
        var name = await SignUpAsync();
        var oldClient = Auth.Client(name);
        await ExpectAsync(await oldClient.GetAsync($"/uam/user/{name}"), HttpStatusCode.OK);
        await ExpectErrorAsync(await PutJsonAsync(oldClient, $"/uam/user/{name}/password", new { oldpassword = "wrong-password", newpassword = "new-password-1" }),
            HttpStatusCode.BadRequest, "INVALID_FIELD", "oldpassword");
        await ExpectErrorAsync(await PutJsonAsync(oldClient, $"/uam/user/{name}/password", new { oldpassword = PasswordOf(name), newpassword = "short" }),
            HttpStatusCode.BadRequest, "INVALID_FIELD", "newpassword");
        var other = await SignUpAsync();
        await ExpectErrorAsync(await PutJsonAsync(Auth.Client(other), $"/uam/user/{name}/password", new { oldpassword = PasswordOf(name), newpassword = "new-password-1" }),
            HttpStatusCode.Forbidden, "DENIED");

        await ExpectAsync(await PutJsonAsync(oldClient, $"/uam/user/{name}/password", new { oldpassword = PasswordOf(name), newpassword = "new-password-1" }),
            HttpStatusCode.NoContent);
        await ExpectAsync(await oldClient.GetAsync($"/uam/user/{name}"), HttpStatusCode.Unauthorized);
        await ExpectAsync(await Auth.Client(name, "new-password-1").GetAsync($"/uam/user/{name}"), HttpStatusCode.OK);
    }
}
