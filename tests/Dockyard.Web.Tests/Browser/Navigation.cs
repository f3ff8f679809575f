using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Dockyard.Web.Tests.Browser;

/// <summary>
/// Browser steps that leave a page, made free of races: the action runs, the page must then show the expected URL
/// (polled, so a navigation that finished before the check still counts) and finish loading, stylesheet included,
/// before the next step measures where to click. A page still loading can move under the pointer when its stylesheet
/// arrives: a click computed on the unstyled layout lands beside the link and nothing navigates, which is how a step
/// waited a whole minute for a URL under a loaded CI run while passing alone.
/// </summary>
public static class Navigation
{
    /// <summary>A minute, not Playwright's 5 s for assertions: the machine is shared with other test projects.</summary>
    private static readonly PageAssertionsToHaveURLOptions Patient = new() { Timeout = 60_000 };

    /// <summary>Runs <paramref name="action"/> and waits until the page at a URL matching <paramref name="url"/> (a regular expression) has loaded.</summary>
    public static async Task GoesToAsync(this IPage page, Func<Task> action, string url)
    {
        await action();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(url), Patient);
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Clicks the link or button and waits as <see cref="GoesToAsync"/> does.</summary>
    public static Task FollowsAsync(this IPage page, ILocator target, string url) => page.GoesToAsync(() => target.ClickAsync(), url);

    /// <summary>Clicks the link of that exact accessible name and waits as <see cref="GoesToAsync"/> does.</summary>
    public static Task FollowsLinkAsync(this IPage page, string name, string url) =>
        page.FollowsAsync(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }), url);

    /// <summary>
    /// Waits for <paramref name="selector"/> on a page a form post redirected back to (the URL alone may not change), then
    /// for that page to finish loading.
    /// </summary>
    public static async Task ShowsAsync(this IPage page, string selector)
    {
        await page.WaitForSelectorAsync(selector);
        await page.WaitForLoadStateAsync(LoadState.Load);
    }
}
