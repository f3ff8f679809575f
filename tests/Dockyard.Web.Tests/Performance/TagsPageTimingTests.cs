using System.Diagnostics;
using System.Net;
using System.Text;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dockyard.Web.Tests.Performance;

/// <summary>
/// The budget, 100 ms of server time for every page of a repository with 10,000 tags, measured and reported (a
/// figure, not an assertion: speed belongs in bench/, and this machine is shared; docs/benchmarks.md keeps the figures).
/// Each tag points at its own manifest, seeded through Core's ManifestService as a push would store it. The repository
/// page (its tags, paginated) is timed at the first page and one deep in the listing, then a manifest page, the
/// namespace page (whose sizes read the repository's blob links) and a search; each first once (nothing of it read by a
/// page yet), then 20 times more. Pagination is asserted: a repository page holds exactly one page of tags.
/// </summary>
public sealed class TagsPageTimingTests(ITestOutputHelper output)
{
    private const int Tags = 10_000;

    [Fact]
    public async Task The_tags_page_of_a_repository_with_10000_tags_is_timed_and_pages_through_them()
    {
        ServerTimer? timer = null;
        await using var registry = await WebRegistry.StartAsync(standalone: true, services: s => timer = ServerTimer.Register(s));
        using var api = registry.ApiClient();
        var config = await TestImage.PushBlobAsync(api, "big/repo", Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}"""));
        var layer = await TestImage.PushBlobAsync(api, "big/repo", Encoding.UTF8.GetBytes("layer"));
        var manifests = registry.Server.Services.GetRequiredService<ManifestService>();
        var repository = RepositoryName.Parse("big/repo");
        var seeding = Stopwatch.StartNew();
        // Four at a time: the store serialises its writes, but hashing and blob writes overlap.
        await Parallel.ForAsync(0, Tags, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var json = $$$"""
                {"schemaVersion":2,"mediaType":"{{{TestImage.OciManifest}}}",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{config.Digest}}}","size":{{{config.Size}}}},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{layer.Digest}}}","size":{{{layer.Size}}}}],
                 "annotations":{"n":"{{{i}}}"}}
                """;
            await manifests.PutAsync(repository, new ManifestReference(null, $"t{i:D5}"), Encoding.UTF8.GetBytes(json), TestImage.OciManifest, cancellationToken);
        });
        output.WriteLine($"seeded {Tags} tagged manifests in {seeding.Elapsed.TotalSeconds:F1} s");
        using var session = new WebSession(registry.BaseAddress);
        // The first request to a page compiles and JITs it; a small repository takes that cost so the figures are the page's own.
        await TestImage.PushAsync(api, "small/repo", "v1");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/repositories/small/repo")).Status);

        string[] paths = ["/repositories/big/repo", "/repositories/big/repo?after=t05000", "/manifests/big/repo?reference=t05000", "/namespaces/big", "/search?q=big"];
        foreach (var path in paths)
        {
            var (status, html) = await session.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            var first = timer!.Of(path);
            var warm = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(path)).Status);
                warm.Add(timer.Of(path).TotalMilliseconds);
            }
            warm.Sort();
            output.WriteLine($"{path}: first {first.TotalMilliseconds:F1} ms, warm median {warm[10]:F1} ms, max {warm[^1]:F1} ms (server time; budget 100 ms)");
            if (!path.StartsWith("/repositories/", StringComparison.Ordinal))
            {
                Assert.Contains("big/repo", html);
                continue;
            }
            // Exactly one page, and the link to the next.
            var expectedFirst = path.Contains("after=", StringComparison.Ordinal) ? "t05001" : "t00000";
            Assert.Contains($">{expectedFirst}</a>", html);
            Assert.Equal(Dockyard.Web.Pages.RepositoryModel.PageSize, html.Split("data-label=\"Tag\"").Length - 1);
            Assert.Contains("rel=\"next\"", html);
        }
    }
}
