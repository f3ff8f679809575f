using Dockyard.Core.Collection;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Browser;

/// <summary>
/// The management pages in a real browser: a visitor signs up, creates an organization, a private repository in it and a
/// team with a grant on it, pushes with skopeo, finds the image through the search box, and deletes the manifest and
/// then the repository through their confirmation pages; an administrator sees the users and storage pages. Every step
/// that leaves a page waits for the next one to load (<see cref="Navigation"/>). Saves the screenshots.
/// </summary>
public sealed class ManagementBrowserTests
{
    private const string Password = "carol-secret-1";

    [Fact]
    public async Task A_new_user_signs_up_builds_an_organization_pushes_searches_and_deletes()
    {
        var skopeo = RequiredTool.Find("skopeo")!;
        await using var browser = await BrowserSession.LaunchAsync();
        await using var registry = await WebRegistry.StartAsync(extra: new Dictionary<string, string?> { ["quota:namespacesize"] = "100", ["gc:interval"] = "86400" });
        await registry.AddUserAsync("root", "root-secret-1", admin: true);
        var page = await browser.NewVisitorAsync(registry.BaseAddress);

        await page.GoesToAsync(() => page.GotoAsync("/"), "/$");
        await page.FollowsLinkAsync("Sign up", "/signup$");
        await page.FillAsync("#username", "carol");
        await page.FillAsync("#email", "carol@example.com");
        await page.FillAsync("#password", Password);
        await browser.ScreenshotAsync(page, "signup");
        await page.ClickAsync("button:text('Create account')");
        await page.ShowsAsync("header .who");
        Assert.Contains("Signed in as carol", await page.InnerTextAsync("header"));

        await page.FollowsLinkAsync("Organizations", "/organizations$");
        await page.FillAsync("#org-name", "acme");
        await page.FollowsAsync(page.Locator("button:text('Create organization')"), "/organizations/acme$");
        await page.FillAsync("#team-name", "builders");
        await page.FollowsAsync(page.Locator("button:text('Create team')"), "/organizations/acme/teams/builders$");

        await page.FollowsLinkAsync("New repository", "/new-repository$");
        await page.SelectOptionAsync("#namespace", "acme");
        await page.FillAsync("#repository-name", "web");
        await browser.ScreenshotAsync(page, "new-repository");
        await page.FollowsAsync(page.Locator("button:text('Create repository')"), "/repositories/acme/web$");
        Assert.Contains("private", await page.InnerTextAsync("h1"));
        Assert.Contains("No tags.", await page.InnerTextAsync("main"));

        await page.GoesToAsync(() => page.GotoAsync("/organizations/acme/teams/builders"), "/organizations/acme/teams/builders$");
        await page.FillAsync("#repository", "web");
        await page.CheckAsync("input[name=Write]");
        await page.ClickAsync("button:text('Grant')");
        await page.ShowsAsync("table.grants td:text('read and write')");
        await page.FillAsync("#member", "carol");
        await page.ClickAsync("button:text('Add to team')");
        await page.ShowsAsync("table.members td:text('carol')");
        await browser.ScreenshotAsync(page, "team");
        await page.GoesToAsync(() => page.GotoAsync("/organizations/acme"), "/organizations/acme$");
        await browser.ScreenshotAsync(page, "organization");

        var layout = Directory.CreateTempSubdirectory("dockyard-web-oci-").FullName;
        try
        {
            OciLayout.Write(layout, "v1");
            var push = await RequiredTool.RunAsync(skopeo, ["copy", "--dest-tls-verify=false", "--dest-creds", "carol:" + Password,
                $"oci:{layout}:v1", $"docker://{registry.Server.HostAndPort}/acme/web:v1"]);
            Assert.True(push.ExitCode == 0, push.Error);
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }

        await page.FillAsync("#bar-search", "we");
        await page.GoesToAsync(() => page.PressAsync("#bar-search", "Enter"), @"/search\?q=we$");
        await browser.ScreenshotAsync(page, "search");
        await page.FollowsLinkAsync("acme/web", "/repositories/acme/web$");
        // Two recorded collector runs (nothing is old enough to collect) for the storage figures below.
        var collector = registry.Server.Services.GetRequiredService<GarbageCollector>();
        await collector.RunAsync(dryRun: true, details: false, CancellationToken.None);
        await collector.RunAsync(dryRun: false, details: false, CancellationToken.None);
        await page.GoesToAsync(() => page.GotoAsync("/namespaces/acme"), "/namespaces/acme$");
        Assert.DoesNotContain("never", await page.InnerTextAsync("table"));
        // Carol administers acme (she created it): its page shows the namespace's storage and the collector's status.
        Assert.Contains("% of 100 MiB", await page.InnerTextAsync("#storage + p"));
        Assert.Contains("deleted 0 manifests", await page.InnerTextAsync("section.gc-status"));
        await browser.ScreenshotAsync(page, "namespace");

        // An administrator's view while acme holds the image: users, then storage.
        var admin = await browser.NewVisitorAsync(registry.BaseAddress);
        await admin.GoesToAsync(() => admin.GotoAsync("/signin"), "/signin$");
        await admin.FillAsync("#username", "root");
        await admin.FillAsync("#password", "root-secret-1");
        await admin.PressAsync("#password", "Enter");
        await admin.ShowsAsync("header .who");
        await admin.FollowsLinkAsync("Users", "/admin/users$");
        Assert.Contains("carol", await admin.InnerTextAsync("table.users"));
        await browser.ScreenshotAsync(admin, "users");
        await admin.FollowsLinkAsync("Storage", "/admin/storage$");
        Assert.Contains("acme", await admin.InnerTextAsync("table.namespaces"));
        await browser.ScreenshotAsync(admin, "storage");

        await page.FollowsLinkAsync("acme/web", "/repositories/acme/web$");
        await page.FollowsLinkAsync("v1", @"/manifests/acme/web\?reference=v1$");
        Assert.Contains("none of 1 layers", await page.InnerTextAsync("#encryption"));
        Assert.Contains("none stored", await page.InnerTextAsync("#signatures"));
        Assert.Equal($"launcher run --rm {registry.Server.HostAndPort}/acme/web:v1", await page.InputValueAsync("#cmd-launcher"));
        await browser.ScreenshotAsync(page, "manifest-protection");

        await page.FollowsAsync(page.Locator("#delete-manifest"), @"/delete-manifest/acme/web\?digest=sha256");
        await page.FollowsAsync(page.Locator("#confirm-delete"), @"/repositories/acme/web\?deleted=sha256");
        Assert.Contains("was deleted", await page.InnerTextAsync("p.notice"));
        Assert.Contains("No tags.", await page.InnerTextAsync("main"));

        await page.FollowsAsync(page.Locator("#delete-repository"), "/delete-repository/acme/web$");
        await browser.ScreenshotAsync(page, "delete-repository");
        await page.FollowsAsync(page.Locator("#confirm-delete"), @"/\?deleted=acme%2Fweb$");
        Assert.Contains("Repository acme/web was deleted.", await page.InnerTextAsync("p.notice"));
        using var api = registry.ApiClient("carol", Password);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync("/v2/acme/web/tags/list")).StatusCode);
    }
}
