using Dockyard.Testing;
using Microsoft.Playwright;

namespace Dockyard.Web.Tests.Browser;

/// <summary>
/// The UI in a real browser against a real registry: an image pushed with skopeo is found, inspected, published and
/// deleted by clicking (signing in by keyboard alone), and a page full of hostile image data runs nothing.
/// </summary>
public sealed class BrowserTests
{
    private const string Password = "alice-secret-1";

    [Fact]
    public async Task Owner_signs_in_finds_a_pushed_image_publishes_it_and_deletes_the_tag()
    {
        var skopeo = RequiredTool.Find("skopeo")!;
        await using var browser = await BrowserSession.LaunchAsync();
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", Password);
        var layout = Directory.CreateTempSubdirectory("dockyard-web-oci-").FullName;
        try
        {
            var layer = OciLayout.Write(layout, "v1");
            var push = await RequiredTool.RunAsync(skopeo, ["copy", "--dest-tls-verify=false", "--dest-creds", "alice:" + Password,
                $"oci:{layout}:v1", $"docker://{registry.Server.HostAndPort}/alice/web:v1"]);
            Assert.True(push.ExitCode == 0, push.Error);

            var page = await browser.NewVisitorAsync(registry.BaseAddress);
            await page.GoesToAsync(() => page.GotoAsync("/signin"), "/signin$");
            await browser.ScreenshotAsync(page, "signin");
            // Keyboard from the user name field on (autofocus may not have landed yet on a busy machine): Tab reaches the
            // password, Enter submits.
            await page.FocusAsync("#username");
            await page.Keyboard.TypeAsync("alice");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync(Password);
            await page.Keyboard.PressAsync("Enter");
            // The header names the user once the sign-in's redirect has landed (a refusal would show an error instead).
            await page.ShowsAsync("header .who");
            Assert.Equal(registry.BaseAddress.ToString(), page.Url);
            Assert.Contains("Signed in as alice", await page.InnerTextAsync("header"));

            await page.FollowsLinkAsync("alice", "/namespaces/alice$");
            await page.FollowsLinkAsync("alice/web", "/repositories/alice/web$");
            Assert.Contains("private", await page.InnerTextAsync("h1"));
            await page.FollowsLinkAsync("v1", @"/manifests/alice/web\?reference=v1$");
            var layers = await page.InnerTextAsync("table:has(caption:text('Layers'))");
            Assert.Contains(layer[..(7 + 12)], layers);
            Assert.Contains("web UI test image", await page.InnerTextAsync("main"));
            Assert.Equal($"docker pull {registry.Server.HostAndPort}/alice/web:v1", await page.InputValueAsync("#cmd-docker"));
            await browser.ScreenshotAsync(page, "manifest");

            await page.GoesToAsync(() => page.GoBackAsync(), "/repositories/alice/web$");
            await page.ClickAsync("#visibility");
            await page.ShowsAsync("h1 .badge.public");
            await browser.ScreenshotAsync(page, "repository");

            var anonymous = await browser.NewVisitorAsync(registry.BaseAddress, width: 390);
            await anonymous.GoesToAsync(() => anonymous.GotoAsync("/"), "/$");
            await anonymous.FollowsLinkAsync("alice", "/namespaces/alice$");
            await anonymous.FollowsLinkAsync("alice/web", "/repositories/alice/web$");
            Assert.Contains("v1", await anonymous.InnerTextAsync("table.tags"));
            Assert.Equal(0, await anonymous.Locator("#visibility").CountAsync());
            await browser.ScreenshotAsync(anonymous, "repository-anonymous-narrow");

            await page.FollowsAsync(page.GetByRole(AriaRole.Link, new() { Name = "Delete tag v1" }), @"/delete-tag/alice/web\?tag=v1$");
            await browser.ScreenshotAsync(page, "delete-tag");
            await page.FollowsAsync(page.Locator("#confirm-delete"), @"/repositories/alice/web\?deleted=v1$");
            Assert.Contains("Tag v1 was deleted.", await page.InnerTextAsync("p.notice"));
            Assert.Contains("No tags.", await page.InnerTextAsync("main"));
            using var api = registry.ApiClient("alice", Password);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync("/v2/alice/web/manifests/v1")).StatusCode);

            await page.GoesToAsync(() => page.GotoAsync("/"), "/$");
            await browser.ScreenshotAsync(page, "namespaces");
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    [Fact]
    public async Task A_manifest_page_of_hostile_image_data_runs_no_script_and_has_no_script_links()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", Password);
        using var api = registry.ApiClient("alice", Password);
        await HostileImage.PushAsync(api, "alice/hostile", "v1");
        await registry.SetPublicAsync("alice", "hostile", true);

        var page = await browser.NewVisitorAsync(registry.BaseAddress);
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            await dialog.DismissAsync();
        };
        await page.GotoAsync("/manifests/alice/hostile?reference=v1");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        Assert.Equal(0, await page.Locator("a[href^='javascript:' i]").CountAsync());
        // The hostile text is shown as text, in the annotations, the labels and the history.
        Assert.Contains(HostileImage.Script, await page.InnerTextAsync("table:has(caption:text('Annotations'))"));
        Assert.Contains(HostileImage.Script, await page.InnerTextAsync("table:has(caption:text('Labels'))"));
        Assert.Contains(HostileImage.ScriptUrl, await page.InnerTextAsync("table:has(caption:text('Annotations'))"));
        await browser.ScreenshotAsync(page, "hostile-manifest");
    }
}
