using Dockyard.Testing;
using Microsoft.Playwright;

namespace Dockyard.Web.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (whose node driver ships in its NuGet package): launched headless from
/// /usr/bin/chromium, so nothing is ever downloaded. Missing chromium fails on CI and skips elsewhere.
/// Screenshots go to <c>DOCKYARD_UI_SCREENSHOTS</c> when set (docs/testing.md: how docs/ui is refreshed), else
/// beside the test binaries.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright playwright;
    private readonly string screenshots;

    private BrowserSession(IPlaywright playwright, IBrowser browser, string screenshots)
    {
        this.playwright = playwright;
        Browser = browser;
        this.screenshots = screenshots;
    }

    public IBrowser Browser { get; }

    public static async Task<BrowserSession> LaunchAsync()
    {
        var chromium = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : RequiredTool.Find("chromium")!;
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"],
        });
        var folder = Environment.GetEnvironmentVariable("DOCKYARD_UI_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return new BrowserSession(playwright, browser, folder);
    }

    /// <summary>A fresh context (its own cookies: a separate visitor) on <paramref name="baseAddress"/>.</summary>
    public async Task<IPage> NewVisitorAsync(Uri baseAddress, int width = 1100)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = 760 },
        });
        // A shared two-core machine running other test projects can be slow: a minute, not Playwright's 30 s, is "never".
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
