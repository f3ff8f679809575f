using Dockyard.Testing;
using Microsoft.Playwright;

namespace Dockyard.Web.Tests.Browser;

/// <summary>
/// The management pages in a real browser: a visitor signs up, creates an organization, a private repository in it and a
/// team with a grant on it, pushes with skopeo, finds the image through the search box, and deletes the manifest and
/// then the repository through their confirmation pages; an administrator sees the users page. Saves the screenshots.
/// </summary>
public sealed class ManagementBrowserTests
{
    private const string Password = "carol-secret-1";

    [Fact]
    public async Task A_new_user_signs_up_builds_an_organization_pushes_searches_and_deletes()
    {
        var skopeo = RequiredTool.Find("skopeo")!;
        await using var browser = await BrowserSession.LaunchAsync();
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("root", "root-secret-1", admin: true);
        var page = await browser.NewVisitorAsync(registry.BaseAddress);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign up", Exact = true }).ClickAsync();
        await page.FillAsync("#username", "carol");
        await page.FillAsync("#email", "carol@example.com");
        await page.FillAsync("#password", Password);
        await browser.ScreenshotAsync(page, "signup");
        await page.ClickAsync("button:text('Create account')");
        await page.WaitForSelectorAsync("header .who");
        Assert.Contains("Signed in as carol", await page.InnerTextAsync("header"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Organizations", Exact = true }).ClickAsync();
        await page.FillAsync("#org-name", "acme");
        await page.ClickAsync("button:text('Create organization')");
        await page.WaitForURLAsync("**/organizations/acme");
        await page.FillAsync("#team-name", "builders");
        await page.ClickAsync("button:text('Create team')");
        await page.WaitForURLAsync("**/organizations/acme/teams/builders");

        await page.GetByRole(AriaRole.Link, new() { Name = "New repository", Exact = true }).ClickAsync();
        await page.SelectOptionAsync("#namespace", "acme");
        await page.FillAsync("#repository-name", "web");
        await browser.ScreenshotAsync(page, "new-repository");
        await page.ClickAsync("button:text('Create repository')");
        await page.WaitForURLAsync("**/repositories/acme/web");
        Assert.Contains("private", await page.InnerTextAsync("h1"));
        Assert.Contains("No tags.", await page.InnerTextAsync("main"));

        await page.GotoAsync("/organizations/acme/teams/builders");
        await page.FillAsync("#repository", "web");
        await page.CheckAsync("input[name=Write]");
        await page.ClickAsync("button:text('Grant')");
        await page.WaitForSelectorAsync("table.grants td:text('read and write')");
        await page.FillAsync("#member", "carol");
        await page.ClickAsync("button:text('Add to team')");
        await page.WaitForSelectorAsync("table.members td:text('carol')");
        await browser.ScreenshotAsync(page, "team");
        await page.GotoAsync("/organizations/acme");
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
        await page.PressAsync("#bar-search", "Enter");
        await page.WaitForURLAsync("**/search?q=we");
        await browser.ScreenshotAsync(page, "search");
        await page.GetByRole(AriaRole.Link, new() { Name = "acme/web", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/repositories/acme/web");
        await page.GotoAsync("/namespaces/acme");
        Assert.DoesNotContain("never", await page.InnerTextAsync("table"));
        await browser.ScreenshotAsync(page, "namespace");

        await page.GetByRole(AriaRole.Link, new() { Name = "acme/web", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "v1", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/manifests/acme/web?reference=v1");
        Assert.Contains("none of 1 layers", await page.InnerTextAsync("#encryption"));
        Assert.Contains("none stored", await page.InnerTextAsync("#signatures"));
        Assert.Equal($"launcher run --rm {registry.Server.HostAndPort}/acme/web:v1", await page.InputValueAsync("#cmd-launcher"));
        await browser.ScreenshotAsync(page, "manifest-protection");

        await page.ClickAsync("#delete-manifest");
        await page.WaitForURLAsync("**/delete-manifest/acme/web?digest=*");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForSelectorAsync("p.notice");
        Assert.Contains("was deleted", await page.InnerTextAsync("p.notice"));
        Assert.Contains("No tags.", await page.InnerTextAsync("main"));

        await page.ClickAsync("#delete-repository");
        await page.WaitForURLAsync("**/delete-repository/acme/web");
        await browser.ScreenshotAsync(page, "delete-repository");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForSelectorAsync("p.notice");
        Assert.Contains("Repository acme/web was deleted.", await page.InnerTextAsync("p.notice"));
        using var api = registry.ApiClient("carol", Password);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync("/v2/acme/web/tags/list")).StatusCode);

        var admin = await browser.NewVisitorAsync(registry.BaseAddress);
        await admin.GotoAsync("/signin");
        await admin.FillAsync("#username", "root");
        await admin.FillAsync("#password", "root-secret-1");
        await admin.PressAsync("#password", "Enter");
        await admin.WaitForSelectorAsync("header .who");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/users");
        Assert.Contains("carol", await admin.InnerTextAsync("table.users"));
        await browser.ScreenshotAsync(admin, "users");
    }
}
