using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Interop.Tests.Clients;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// The UAM routes through the real host with access enforced: sign-up, token login, an organization with a team and a
/// private repository; skopeo pushes with credentials (the /uam/auth token dance) and a team member reads.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class UamTests(EnforcedHostFixture fixture) : IClassFixture<EnforcedHostFixture>
{
    [Fact]
    public async Task Users_an_organization_a_team_and_a_private_repository_are_enforced()
    {
        var host = fixture.Host;
        using var anonymous = Client(host, null);
        foreach (var name in new[] { "fnalice", "fnbob" })
        {
            await Expect(await anonymous.PostAsJsonAsync("/uam/user/signup",
                new { name, email = name + "@example.com", password = Password(name), realname = name }), HttpStatusCode.Created);
        }
        using var alice = Client(host, "fnalice");
        using var bob = Client(host, "fnbob");
        using (var token = await alice.GetAsync($"/uam/auth?scope=repository:fnacme/app:pull"))
        {
            await Expect(token, HttpStatusCode.OK, keep: true);
            Assert.Contains("token", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await Expect(await anonymous.GetAsync("/uam/user/fnalice"), HttpStatusCode.Unauthorized);
        await Expect(await alice.GetAsync("/uam/user/fnalice"), HttpStatusCode.OK);

        await Expect(await alice.PostAsJsonAsync("/uam/organization", new { name = "fnacme", memberprivilege = 4 }), HttpStatusCode.Created);
        await Expect(await alice.PostAsJsonAsync("/uam/repository", new { name = "app", ispublic = false, orgname = "fnacme" }), HttpStatusCode.Created);
        await Expect(await alice.GetAsync("/uam/repository/fnacme/app"), HttpStatusCode.OK);
        await Expect(await alice.PostAsJsonAsync("/uam/organization/adduser", new { username = "fnbob", role = 4, orgname = "fnacme" }), HttpStatusCode.Created);
        await Expect(await alice.PostAsJsonAsync("/uam/team", new { teamname = "readers", orgname = "fnacme" }), HttpStatusCode.Created);
        await Expect(await alice.PostAsJsonAsync("/uam/team/adduser", new { teamname = "readers", orgname = "fnacme", username = "fnbob", role = 6 }), HttpStatusCode.Created);
        await Expect(await alice.GetAsync("/uam/team/fnacme/readers"), HttpStatusCode.OK);

        if (Skopeo.Find() is not { } skopeo || TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        OciLayoutBuilder.WriteBusybox(workspace.Folder("src"), layer, "v1");
        var remote = $"docker://{host.HostAndPort}/fnacme/app:v1";
        Assert.False((await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", remote)).Succeeded, "an anonymous push was accepted");
        (await skopeo.CopyAsync($"oci:{workspace.Folder("src")}:v1", remote, "--dest-creds", $"fnalice:{Password("fnalice")}")).EnsureSuccess();

        await Expect(await bob.GetAsync("/v2/fnacme/app/tags/list"), HttpStatusCode.Forbidden);
        await Expect(await alice.PostAsJsonAsync("/uam/team/addrepository", new { orgname = "fnacme", reponame = "app", teamname = "readers", permit = 3 }), HttpStatusCode.Created);
        await Expect(await bob.GetAsync("/v2/fnacme/app/tags/list"), HttpStatusCode.OK);
        await Expect(await anonymous.GetAsync("/v2/fnacme/app/tags/list"), HttpStatusCode.Unauthorized);
        await Expect(await alice.DeleteAsync("/uam/team/removeuser/fnacme/readers/fnbob"), HttpStatusCode.NoContent, orOk: true);
        await Expect(await bob.GetAsync("/v2/fnacme/app/tags/list"), HttpStatusCode.Forbidden);
    }

    private static string Password(string user) => "secret-" + user;

    private static HttpClient Client(FunctionsHost host, string? user)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password(user)}")));
        }
        return client;
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status, bool orOk = false, bool keep = false)
    {
        try
        {
            var ok = response.StatusCode == status || (orOk && response.StatusCode == HttpStatusCode.OK);
            Assert.True(ok, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} (expected {(int)status}): {await response.Content.ReadAsStringAsync()}");
        }
        finally
        {
            if (!keep)
            {
                response.Dispose();
            }
        }
    }
}
