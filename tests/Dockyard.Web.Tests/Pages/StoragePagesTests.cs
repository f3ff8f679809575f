using System.Net;
using Dockyard.Core.Collection;
using Dockyard.Core.Quotas;
using Dockyard.Testing;
using Dockyard.Web.Browsing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// Storage per namespace against <c>[quota] namespacesize</c> and garbage collection's status: on <c>/admin/storage</c>
/// for administrators only, on a namespace's page for the namespace's own admins only; runs recorded by the scheduled
/// collector of <c>dockyard web</c> show up there.
/// </summary>
public sealed class StoragePagesTests
{
    private const string AdminPassword = "root-secret-1";
    private const string BobPassword = "bob-secret-12";
    private const string CarolPassword = "carol-secret-1";

    [Fact]
    public async Task Admins_see_every_namespace_against_the_quota_and_the_collector_runs_others_get_404()
    {
        await using var registry = await StartAsync(new() { ["quota:namespacesize"] = "1", ["gc:interval"] = "7200" });
        using (var api = registry.ApiClient("bob", BobPassword))
        {
            await TestImage.PushAsync(api, "bob/app", "v1");
        }
        using (var api = registry.ApiClient("carol", CarolPassword))
        {
            await TestImage.PushAsync(api, "carol/site", "v1");
        }
        var collected = await registry.Server.Services.GetRequiredService<GarbageCollector>().RunAsync(dryRun: false, details: false, CancellationToken.None);
        Assert.True(collected.Ran);
        // A failed run from another node, its error worded by whatever failed: shown as text.
        await registry.Server.Services.GetRequiredService<ICollectionHistory>().RecordAsync(
            new CollectionRun(DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromSeconds(3), false, 1, 0, 0, 0, 0, "<script>alert(1)</script> store down"), CancellationToken.None);
        var bobUsage = await registry.Server.Services.GetRequiredService<NamespaceQuota>().UsageAsync("bob", CancellationToken.None);
        Assert.True(bobUsage.Used > 0);
        using var admin = await registry.SignedInAsync("root", AdminPassword);

        var (status, html) = await admin.GetAsync("/admin/storage");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("href=\"/namespaces/bob\"", html);
        Assert.Contains("href=\"/namespaces/carol\"", html);
        Assert.Contains($"<td data-label=\"Used\">{Format.Bytes(bobUsage.Used)}</td>", html);
        Assert.Contains("of 1.0 MiB", html);
        Assert.Contains("<td data-label=\"Repositories\">2</td>", html);
        Assert.Contains("failed: &lt;script&gt;alert(1)&lt;/script&gt; store down", html);
        Assert.DoesNotContain("<script>", html);
        // This node's schedule: [gc] interval = 7200, first start one interval after the server started.
        Assert.Contains("(every 2 h 0 min, on this node)", html);
        Assert.Contains("href=\"/admin/storage\"", html);

        using var anonymous = new WebSession(registry.BaseAddress);
        using var bob = await registry.SignedInAsync("bob", BobPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/admin/storage")).Status);
        var (bobStatus, bobHtml) = await bob.GetAsync("/admin/storage");
        Assert.Equal(HttpStatusCode.NotFound, bobStatus);
        Assert.DoesNotContain("carol", bobHtml);
    }

    [Fact]
    public async Task A_namespace_page_shows_storage_and_collection_to_its_admins_only()
    {
        await using var registry = await StartAsync(new() { ["gc:interval"] = "0" });
        using (var api = registry.ApiClient("bob", BobPassword))
        {
            await TestImage.PushAsync(api, "bob/app", "v1");
        }
        await registry.SetPublicAsync("bob", "app", true);
        using var bob = await registry.SignedInAsync("bob", BobPassword);
        using var carol = await registry.SignedInAsync("carol", CarolPassword);
        using var admin = await registry.SignedInAsync("root", AdminPassword);

        foreach (var owner in new[] { bob, admin })
        {
            var (status, html) = await owner.GetAsync("/namespaces/bob");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("<h2 id=\"storage\">Storage</h2>", html);
            Assert.Contains("no quota", html);
            Assert.Contains("<h2 id=\"gc-status\">Garbage collection</h2>", html);
            Assert.Contains("not scheduled on this node", html);
        }
        // Carol may read the public repository, not administer its namespace.
        var (carolStatus, carolHtml) = await carol.GetAsync("/namespaces/bob");
        Assert.Equal(HttpStatusCode.OK, carolStatus);
        Assert.Contains("bob/app", carolHtml);
        Assert.DoesNotContain("id=\"storage\"", carolHtml);
        Assert.DoesNotContain("id=\"gc-status\"", carolHtml);
    }

    [Fact]
    public async Task The_scheduled_collector_records_its_runs_for_the_pages()
    {
        await using var registry = await StartAsync(new() { ["gc:interval"] = "1" });
        var history = registry.Server.Services.GetRequiredService<ICollectionHistory>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<CollectionRun> runs = [];
        while (runs.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            runs = await history.ListAsync(5, CancellationToken.None);
        }

        Assert.NotEmpty(runs);
        var run = runs[0];
        Assert.False(run.DryRun);
        Assert.Null(run.Error);
        using var admin = await registry.SignedInAsync("root", AdminPassword);
        var (_, html) = await admin.GetAsync("/admin/storage");
        Assert.Contains(Format.Time(run.StartedAt), html);
        Assert.Contains("(every 1.0 s, on this node)", html);
    }

    private static async Task<WebRegistry> StartAsync(Dictionary<string, string?> settings)
    {
        var registry = await WebRegistry.StartAsync(extra: settings);
        await registry.AddUserAsync("root", AdminPassword, admin: true);
        await registry.AddUserAsync("bob", BobPassword);
        await registry.AddUserAsync("carol", CarolPassword);
        return registry;
    }
}
