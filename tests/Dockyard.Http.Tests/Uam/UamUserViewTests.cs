using System.Net;
using System.Text.Json;
using Dockyard.Http.Tests.Auth;
using static Dockyard.Http.Tests.Auth.AuthServer;

namespace Dockyard.Http.Tests.Uam;

/// <summary>Signed-in users read other users' names, but e-mail and the admin flag only of themselves; administrators read all.</summary>
public sealed class UamUserViewTests(EnforcedServerFixture fixture) : IClassFixture<EnforcedServerFixture>
{
    [Fact]
    public async Task Users_see_e_mail_and_admin_flag_only_of_themselves()
    {
        var admin = await fixture.Auth.AddUserAsync("viewadmin", admin: true);
        var alice = await fixture.Auth.AddUserAsync("viewalice");
        var bob = fixture.Auth.Client(await fixture.Auth.AddUserAsync("viewbob"));

        AssertHidden(await ExpectAsync(await bob.GetAsync($"/uam/user/{alice}"), HttpStatusCode.OK));
        AssertHidden(await ExpectAsync(await bob.GetAsync($"/uam/user/{admin}"), HttpStatusCode.OK));
        var listed = (await ExpectAsync(await bob.GetAsync("/uam/user?n=1000"), HttpStatusCode.OK)).GetProperty("users").EnumerateArray().ToList();
        AssertHidden(listed.Single(u => u.GetProperty("name").GetString() == alice));
        AssertHidden(listed.Single(u => u.GetProperty("name").GetString() == admin));

        var self = await ExpectAsync(await bob.GetAsync("/uam/user/viewbob"), HttpStatusCode.OK);
        Assert.Equal("viewbob@example.com", self.GetProperty("email").GetString());
        Assert.False(self.GetProperty("admin").GetBoolean());
        Assert.Equal("viewbob@example.com", listed.Single(u => u.GetProperty("name").GetString() == "viewbob").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Administrators_see_every_users_e_mail_and_admin_flag()
    {
        var admin = fixture.Auth.Client(await fixture.Auth.AddUserAsync("seeadmin", admin: true));
        var carol = await fixture.Auth.AddUserAsync("seecarol");

        var one = await ExpectAsync(await admin.GetAsync($"/uam/user/{carol}"), HttpStatusCode.OK);
        Assert.Equal("seecarol@example.com", one.GetProperty("email").GetString());
        Assert.False(one.GetProperty("admin").GetBoolean());
        var listed = (await ExpectAsync(await admin.GetAsync("/uam/user?n=1000"), HttpStatusCode.OK)).GetProperty("users").EnumerateArray();
        Assert.Equal("seecarol@example.com", listed.Single(u => u.GetProperty("name").GetString() == carol).GetProperty("email").GetString());
    }

    private static void AssertHidden(JsonElement user)
    {
        Assert.False(user.TryGetProperty("email", out _), $"another user's e-mail is shown: {user}");
        Assert.False(user.TryGetProperty("admin", out _), $"another user's admin flag is shown: {user}");
        Assert.True(user.TryGetProperty("name", out _));
    }
}
