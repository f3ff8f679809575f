using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Core.Names;
using Dockyard.Core.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Pages;

/// <summary>The search box: repositories whose name contains the query, only those the caller may read, a page at a time.</summary>
public sealed partial class SearchTests
{
    private const string Password = "shared-secret-1";

    [Fact]
    public async Task Search_finds_by_substring_only_what_the_caller_may_read()
    {
        await using var registry = await WebRegistry.StartAsync();
        await registry.AddUserAsync("alice", Password);
        await registry.AddUserAsync("bob", Password);
        using var alice = await registry.SignedInAsync("alice", Password);
        foreach (var (name, isPublic) in new[] { ("web-app", false), ("web-public", true), ("db", false) })
        {
            using var create = await alice.SubmitAsync("/new-repository", new Dictionary<string, string>
            {
                ["Namespace"] = "alice", ["RepositoryName"] = name, ["IsPublic"] = isPublic ? "true" : "false",
            });
            Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
        }
        using var bob = await registry.SignedInAsync("bob", Password);
        using var anonymous = new WebSession(registry.BaseAddress);

        Assert.Equal(["alice/web-app", "alice/web-public"], Results((await alice.GetAsync("/search?q=WEB")).Html));
        Assert.Equal(["alice/web-public"], Results((await bob.GetAsync("/search?q=web")).Html));
        Assert.Equal(["alice/web-public"], Results((await anonymous.GetAsync("/search?q=web")).Html));
        Assert.Empty(Results((await bob.GetAsync("/search?q=db")).Html));
        Assert.Contains("No repository you may see matches.", (await bob.GetAsync("/search?q=db")).Html);
        var (emptyStatus, emptyHtml) = await anonymous.GetAsync("/search");
        Assert.Equal(HttpStatusCode.OK, emptyStatus);
        Assert.Empty(Results(emptyHtml));
    }

    [Fact]
    public async Task Results_come_a_page_at_a_time_and_the_next_page_continues_where_the_first_ended()
    {
        await using var registry = await WebRegistry.StartAsync(standalone: true);
        var metadata = registry.Server.Services.GetRequiredService<IMetadataStore>();
        for (var i = 0; i < 70; i++)
        {
            await metadata.Repositories.EnsureAsync(RepositoryName.Parse($"team/service-{i:D3}"), CancellationToken.None);
            await metadata.Repositories.EnsureAsync(RepositoryName.Parse($"team/other-{i:D3}"), CancellationToken.None);
        }
        using var session = new WebSession(registry.BaseAddress);

        var first = (await session.GetAsync("/search?q=service")).Html;
        var firstResults = Results(first);
        Assert.Equal(Dockyard.Web.Pages.SearchModel.PageSize, firstResults.Count);
        var next = NextLink().Match(first);
        Assert.True(next.Success, "no link to more results");
        var second = Results((await session.GetAsync(WebUtility.HtmlDecode(next.Groups[1].Value))).Html);
        Assert.Equal(70 - Dockyard.Web.Pages.SearchModel.PageSize, second.Count);
        Assert.Equal(Enumerable.Range(0, 70).Select(i => $"team/service-{i:D3}"), firstResults.Concat(second));
    }

    private static List<string> Results(string html) =>
        ResultLink().Matches(html.Split("class=\"list results\"").ElementAtOrDefault(1) ?? "").Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("<li><a href=\"/repositories/[^\"]+\">([^<]+)</a></li>")]
    private static partial Regex ResultLink();

    [GeneratedRegex("<a [^>]*href=\"(/search\\?[^\"]+)\"[^>]*>More results</a>")]
    private static partial Regex NextLink();
}
