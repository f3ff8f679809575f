using System.Net;
using Dockyard.Http.Tests.Auth;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>
/// Bodies the UAM API refuses: missing fields, unknown codes, invalid or reserved names, non-JSON → 400 INVALID_FIELD
/// naming the field; names already taken → 409.
/// </summary>
public sealed class UamBadBodyTests(UamBadBodyTests.World world) : IClassFixture<UamBadBodyTests.World>
{
    /// <summary>An admin of organization <see cref="Organization"/> with team <c>team1</c> and repository <c>repo1</c>, and a plain user.</summary>
    public sealed class World : EnforcedServerFixture
    {
        public const string Admin = "badadmin";
        public const string Organization = "badorg";
        public const string Member = "badmember";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Auth.AddUserAsync(Admin);
            await Auth.AddUserAsync(Member);
            var client = Auth.Client(Admin);
            await ExpectAsync(await PostJsonAsync(client, "/uam/organization", new { name = Organization }), HttpStatusCode.Created);
            await ExpectAsync(await PostJsonAsync(client, "/uam/organization/adduser", new { username = Member, role = 4, orgname = Organization }), HttpStatusCode.Created);
            await ExpectAsync(await PostJsonAsync(client, "/uam/team", new { teamname = "team1", orgname = Organization }), HttpStatusCode.Created);
            await ExpectAsync(await PostJsonAsync(client, "/uam/repository", new { name = "repo1", ispublic = true, orgname = Organization }), HttpStatusCode.Created);
        }
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        // signup
        { "/uam/user/signup", """{"email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", """{"name":"newuser1","password":"password1"}""", "email" },
        { "/uam/user/signup", """{"name":"newuser1","email":"not-an-address","password":"password1"}""", "email" },
        { "/uam/user/signup", """{"name":"newuser1","email":"a@example.com"}""", "password" },
        { "/uam/user/signup", """{"name":"newuser1","email":"a@example.com","password":"short"}""", "password" },
        { "/uam/user/signup", """{"name":"NewUser","email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", """{"name":"v2","email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", """{"name":"uam","email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", """{"name":"a","email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", """{"name":"bad/name","email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", """{"name":42,"email":"a@example.com","password":"password1"}""", "name" },
        { "/uam/user/signup", "not json", "body" },
        { "/uam/user/signup", """["name"]""", "body" },
        { "/uam/user/signup", "", "body" },
        // organization
        { "/uam/organization", """{"email":"o@example.com"}""", "name" },
        { "/uam/organization", """{"name":"Upper"}""", "name" },
        { "/uam/organization", """{"name":"library"}""", "name" },
        { "/uam/organization", """{"name":"neworg1","memberprivilege":1}""", "memberprivilege" },
        { "/uam/organization", """{"name":"neworg1","memberprivilege":5}""", "memberprivilege" },
        { "/uam/organization", """{"name":"neworg1","memberprivilege":"write"}""", "memberprivilege" },
        { "/uam/organization", "{", "body" },
        // organization members
        { "/uam/organization/adduser", """{"role":4,"orgname":"badorg"}""", "username" },
        { "/uam/organization/adduser", """{"username":"badmember","orgname":"badorg"}""", "role" },
        { "/uam/organization/adduser", """{"username":"badmember","role":5,"orgname":"badorg"}""", "role" },
        { "/uam/organization/adduser", """{"username":"badmember","role":4}""", "orgname" },
        // teams
        { "/uam/team", """{"orgname":"badorg"}""", "teamname" },
        { "/uam/team", """{"teamname":"t2"}""", "orgname" },
        { "/uam/team", """{"teamname":"bad team","orgname":"badorg"}""", "teamname" },
        { "/uam/team/adduser", """{"teamname":"team1","orgname":"badorg","username":"badmember","role":4}""", "role" },
        { "/uam/team/adduser", """{"teamname":"team1","orgname":"badorg","username":"badmember"}""", "role" },
        { "/uam/team/adduser", """{"teamname":"team1","orgname":"badorg","role":6}""", "username" },
        { "/uam/team/adduser", """{"orgname":"badorg","username":"badmember","role":6}""", "teamname" },
        { "/uam/team/addrepository", """{"orgname":"badorg","reponame":"repo1","teamname":"team1","permit":4}""", "permit" },
        { "/uam/team/addrepository", """{"orgname":"badorg","reponame":"repo1","teamname":"team1"}""", "permit" },
        { "/uam/team/addrepository", """{"orgname":"badorg","teamname":"team1","permit":2}""", "reponame" },
        { "/uam/team/addrepository", """{"reponame":"repo1","teamname":"team1","permit":2}""", "orgname" },
        // repositories
        { "/uam/repository", """{"name":"r","ispublic":true}""", "orgname" },
        { "/uam/repository", """{"ispublic":true,"orgname":"badorg"}""", "name" },
        { "/uam/repository", """{"name":"r","orgname":"badorg"}""", "ispublic" },
        { "/uam/repository", """{"name":"R","ispublic":true,"orgname":"badorg"}""", "name" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_bodies_are_400_naming_the_field(string path, string body, string field)
    {
        await ExpectErrorAsync(await PostJsonAsync(world.Auth.Client(World.Admin), path, body), HttpStatusCode.BadRequest, "INVALID_FIELD", field);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400_even_with_a_text_content_type()
    {
        using var content = new StringContent("name=x&email=y", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await ExpectErrorAsync(await world.Auth.Client(null).PostAsync("/uam/user/signup", content), HttpStatusCode.BadRequest, "INVALID_FIELD", "body");
    }

    public static TheoryData<string, string, string> DuplicateBodies => new()
    {
        { "/uam/user/signup", """{"name":"badadmin","email":"a@example.com","password":"password1"}""", "badadmin" },
        { "/uam/user/signup", """{"name":"badorg","email":"a@example.com","password":"password1"}""", "badorg" },
        { "/uam/organization", """{"name":"badorg"}""", "badorg" },
        { "/uam/organization", """{"name":"badmember"}""", "badmember" },
        { "/uam/team", """{"teamname":"team1","orgname":"badorg"}""", "team1" },
        { "/uam/repository", """{"name":"repo1","ispublic":false,"orgname":"badorg"}""", "repo1" },
    };

    [Theory]
    [MemberData(nameof(DuplicateBodies))]
    public async Task Names_already_taken_are_409(string path, string body, string name)
    {
        await ExpectErrorAsync(await PostJsonAsync(world.Auth.Client(World.Admin), path, body), HttpStatusCode.Conflict, "CONFLICT", name);
    }

    [Fact]
    public async Task Unknown_organizations_teams_and_users_are_404()
    {
        var client = world.Auth.Client(World.Admin);
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization/adduser", new { username = "nobody99", role = 4, orgname = World.Organization }), HttpStatusCode.NotFound);
        await ExpectAsync(await PostJsonAsync(client, "/uam/organization/adduser", new { username = World.Member, role = 4, orgname = "noorg99" }), HttpStatusCode.NotFound);
        await ExpectAsync(await PostJsonAsync(client, "/uam/team/adduser", new { teamname = "noteam", orgname = World.Organization, username = World.Member, role = 6 }),
            HttpStatusCode.NotFound);
        await ExpectAsync(await client.DeleteAsync($"/uam/team/{World.Organization}/noteam"), HttpStatusCode.NotFound);
        await ExpectAsync(await client.DeleteAsync("/uam/noorg99"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Uam_writes_need_credentials_in_enforced_mode()
    {
        var anonymous = world.Auth.Client(null);
        var response = await PostJsonAsync(anonymous, "/uam/organization", new { name = "anonorg" });
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ExpectErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ExpectAsync(await PostJsonAsync(world.Auth.Client(World.Admin, "wrong-password"), "/uam/organization", new { name = "anonorg" }),
            HttpStatusCode.Unauthorized);
    }
}
