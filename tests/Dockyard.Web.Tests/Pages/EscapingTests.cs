using System.Net;

namespace Dockyard.Web.Tests.Pages;

/// <summary>Values from images reach the page as text: escaped, never markup, never a link.</summary>
public sealed class EscapingTests
{
    [Fact]
    public async Task Hostile_annotations_labels_and_config_are_escaped_and_never_links()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", "alice-secret-1");
        using var api = registry.ApiClient("alice", "alice-secret-1");
        await HostileImage.PushAsync(api, "alice/hostile", "v1");
        await registry.SetPublicAsync("alice", "hostile", true);
        using var anonymous = new WebSession(registry.BaseAddress);

        using var response = await anonymous.Client.GetAsync("/manifests/alice/hostile?reference=v1");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Annotation value and key, label, env, cmd and history: each shown, escaped.
        var escaped = WebUtility.HtmlEncode(HostileImage.Script);
        Assert.True(CountOf(html, escaped) >= 6, $"expected the escaped script at least 6 times:\n{html}");
        Assert.Contains(HostileImage.ScriptUrl, html);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        // Belt and braces: the pages carry no script, so the policy forbids all of it.
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("script-src", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
