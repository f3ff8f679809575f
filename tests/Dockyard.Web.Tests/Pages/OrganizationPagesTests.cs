using System.Net;
using Dockyard.Core.Accounts;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// Organizations and teams through the pages, by the UAM routes' rules: the creator administers the organization,
/// members see it and change nothing, outsiders get the 404 page for every page and form of it.
/// </summary>
public sealed class OrganizationPagesTests
{
    private const string Password = "shared-secret-1";

    [Fact]
    public async Task The_creator_builds_an_organization_with_a_team_a_member_and_a_grant_that_gives_access()
    {
        await using var registry = await StartAsync();
        using var alice = await registry.SignedInAsync("alice", Password);

        using (var create = await alice.SubmitAsync("/organizations", new Dictionary<string, string> { ["NewName"] = "acme" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
            Assert.Equal("/organizations/acme", create.Headers.Location?.OriginalString);
        }
        Assert.Contains(">acme</a>", (await alice.GetAsync("/organizations")).Html);
        await Post(alice, "/organizations/acme?handler=AddMember", "/organizations/acme", new() { ["Member"] = "bob" });
        await Post(alice, "/organizations/acme?handler=CreateTeam", "/organizations/acme", new() { ["TeamName"] = "builders" },
            HttpStatusCode.Redirect, "/organizations/acme/teams/builders");
        await Post(alice, "/organizations/acme/teams/builders?handler=AddMember", "/organizations/acme/teams/builders", new() { ["Member"] = "bob" });
        await Post(alice, "/new-repository", "/new-repository", new() { ["Namespace"] = "acme", ["RepositoryName"] = "tool" },
            HttpStatusCode.Redirect, "/repositories/acme/tool");
        await Post(alice, "/organizations/acme/teams/builders?handler=Grant", "/organizations/acme/teams/builders",
            new() { ["Repository"] = "tool", ["Write"] = "true" });

        var accounts = registry.Accounts;
        Assert.Equal(OrganizationRole.Admin, (await accounts.Organizations.GetMemberAsync("acme", "alice", CancellationToken.None))?.Role);
        Assert.Equal(OrganizationRole.Member, (await accounts.Organizations.GetMemberAsync("acme", "bob", CancellationToken.None))?.Role);
        Assert.Equal(TeamPermit.Write, Assert.Single(await accounts.Teams.ListRepositoriesAsync("acme", "builders", CancellationToken.None)).Permit);
        var teamPage = (await alice.GetAsync("/organizations/acme/teams/builders")).Html;
        Assert.Contains("<td>bob</td>", teamPage);
        Assert.Contains("read and write", teamPage);

        // The grant works on the registry itself: bob pushes into the organization's private repository.
        using var bobApi = registry.ApiClient("bob", Password);
        await Dockyard.Testing.TestImage.PushAsync(bobApi, "acme/tool", "v1");
        using var bob = await registry.SignedInAsync("bob", Password);
        Assert.Contains(">v1</a>", (await bob.GetAsync("/repositories/acme/tool")).Html);

        // Revoking and removing undo it.
        await Post(alice, "/organizations/acme/teams/builders?handler=Revoke", "/organizations/acme/teams/builders", new() { ["Repository"] = "tool" });
        await Post(alice, "/organizations/acme?handler=RemoveMember", "/organizations/acme", new() { ["Member"] = "bob" });
        Assert.Empty(await accounts.Teams.ListRepositoriesAsync("acme", "builders", CancellationToken.None));
        Assert.Null(await accounts.Organizations.GetMemberAsync("acme", "bob", CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/repositories/acme/tool")).Status);
    }

    [Fact]
    public async Task A_member_sees_but_may_not_change_and_an_outsider_gets_404_everywhere()
    {
        await using var registry = await StartAsync();
        using var alice = await registry.SignedInAsync("alice", Password);
        await Post(alice, "/organizations", "/organizations", new() { ["NewName"] = "acme" }, HttpStatusCode.Redirect, "/organizations/acme");
        await Post(alice, "/organizations/acme?handler=AddMember", "/organizations/acme", new() { ["Member"] = "bob" });
        await Post(alice, "/organizations/acme?handler=CreateTeam", "/organizations/acme", new() { ["TeamName"] = "builders" },
            HttpStatusCode.Redirect, "/organizations/acme/teams/builders");
        using var bob = await registry.SignedInAsync("bob", Password);
        using var carol = await registry.SignedInAsync("carol", Password);

        var (memberStatus, memberHtml) = await bob.GetAsync("/organizations/acme");
        Assert.Equal(HttpStatusCode.OK, memberStatus);
        Assert.Contains(">builders</a>", memberHtml);
        Assert.DoesNotContain("handler=AddMember", memberHtml);
        await Post(bob, "/organizations/acme?handler=AddMember", "/organizations/acme", new() { ["Member"] = "carol" }, HttpStatusCode.Forbidden);
        await Post(bob, "/organizations/acme?handler=CreateTeam", "/organizations/acme", new() { ["TeamName"] = "rogue" }, HttpStatusCode.Forbidden);
        await Post(bob, "/organizations/acme?handler=RemoveMember", "/organizations/acme", new() { ["Member"] = "alice" }, HttpStatusCode.Forbidden);

        foreach (var page in new[] { "/organizations/acme", "/organizations/acme/teams/builders" })
        {
            var (status, html) = await carol.GetAsync(page);
            var (missingStatus, missingHtml) = await carol.GetAsync(page.Replace("acme", "nowhere"));
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal(HttpStatusCode.NotFound, missingStatus);
            Assert.Equal(WebSession.WithoutTokens(missingHtml).Replace("nowhere", "acme"), WebSession.WithoutTokens(html));
        }
        await Post(carol, "/organizations/acme?handler=AddMember", "/organizations", new() { ["Member"] = "carol" }, HttpStatusCode.NotFound);
        await Post(carol, "/organizations/acme/teams/builders?handler=AddMember", "/organizations", new() { ["Member"] = "carol" }, HttpStatusCode.NotFound);
        Assert.DoesNotContain(">acme</a>", (await carol.GetAsync("/organizations")).Html);

        // The organization's last admin cannot be removed, as through UAM.
        await Post(alice, "/organizations/acme?handler=RemoveMember", "/organizations/acme", new() { ["Member"] = "alice" }, HttpStatusCode.Conflict);
        Assert.Equal(2, (await registry.Accounts.Organizations.ListMembersAsync("acme", CancellationToken.None)).Count);

        // Anonymous callers are sent to sign in.
        using var anonymous = new WebSession(registry.BaseAddress);
        using var redirect = await anonymous.Client.GetAsync("/organizations/acme");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/signin", redirect.Headers.Location!.PathAndQuery);
    }

    private static async Task Post(WebSession session, string path, string formPage, Dictionary<string, string> fields,
        HttpStatusCode expected = HttpStatusCode.Redirect, string? location = null)
    {
        using var response = await session.SubmitAsync(path, fields, formPage);
        Assert.True(expected == response.StatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (location is not null)
        {
            Assert.Equal(location, response.Headers.Location?.OriginalString);
        }
    }

    private static async Task<WebRegistry> StartAsync()
    {
        var registry = await WebRegistry.StartAsync();
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            await registry.AddUserAsync(user, Password);
        }
        return registry;
    }
}
