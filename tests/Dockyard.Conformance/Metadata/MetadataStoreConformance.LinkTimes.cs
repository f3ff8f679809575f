using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Metadata;

/// <summary>
/// What garbage collection needs from blob links: when each was last linked, an unlink that spares fresh links even
/// against a concurrent re-link, listings per repository and "is it linked anywhere".
/// </summary>
public abstract partial class MetadataStoreConformance
{
    /// <summary>How far the store's clock and this machine's may disagree (Azure and RADOS stamp times themselves).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_link_records_when_it_was_made_and_relinking_refreshes_it()
    {
        var digest = D("timed");
        var before = DateTimeOffset.UtcNow;
        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 10, Ct);
        var first = await Store.BlobLinks.GetLinkAsync(Repo("app"), digest, Ct);
        await Task.Delay(20);

        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 10, Ct);

        var second = await Store.BlobLinks.GetLinkAsync(Repo("app"), digest, Ct);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(new BlobLink(digest, 10, first.LinkedAt), first);
        Assert.InRange(first.LinkedAt, before - Skew, before + Skew);
        Assert.True(second.LinkedAt > first.LinkedAt, $"relinking left the time at {second.LinkedAt:O} (first {first.LinkedAt:O})");
        Assert.Null(await Store.BlobLinks.GetLinkAsync(Repo("app"), D("absent"), Ct));
        Assert.Null(await Store.BlobLinks.GetLinkAsync(Repo("other"), digest, Ct));
    }

    [Fact]
    public async Task UnlinkIfStale_removes_only_links_made_before_the_cut_off()
    {
        var stale = D("stale");
        var fresh = D("fresh");
        await Store.BlobLinks.LinkAsync(Repo("app"), stale, 1, Ct);
        var cutOff = (await Store.BlobLinks.GetLinkAsync(Repo("app"), stale, Ct))!.LinkedAt.AddTicks(1);
        await Task.Delay(20);
        await Store.BlobLinks.LinkAsync(Repo("app"), fresh, 2, Ct);

        Assert.False(await Store.BlobLinks.UnlinkIfStaleAsync(Repo("app"), fresh, cutOff, Ct));
        Assert.True(await Store.BlobLinks.UnlinkIfStaleAsync(Repo("app"), stale, cutOff, Ct));
        Assert.False(await Store.BlobLinks.UnlinkIfStaleAsync(Repo("app"), stale, cutOff, Ct));
        Assert.False(await Store.BlobLinks.UnlinkIfStaleAsync(Repo("app"), D("never"), DateTimeOffset.MaxValue, Ct));

        Assert.Null(await Store.BlobLinks.GetAsync(Repo("app"), stale, Ct));
        Assert.Equal(2, await Store.BlobLinks.GetAsync(Repo("app"), fresh, Ct));
    }

    [Fact]
    public async Task A_link_made_again_after_the_cut_off_is_never_removed_as_stale()
    {
        var digest = D("relinked");
        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 1, Ct);
        var cutOff = (await Store.BlobLinks.GetLinkAsync(Repo("app"), digest, Ct))!.LinkedAt.AddTicks(1);
        await Task.Delay(20);

        await Store.BlobLinks.LinkAsync(Repo("app"), digest, 1, Ct);

        Assert.False(await Store.BlobLinks.UnlinkIfStaleAsync(Repo("app"), digest, cutOff, Ct));
        Assert.Equal(1, await Store.BlobLinks.GetAsync(Repo("app"), digest, Ct));
        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
    }

    [Fact]
    public async Task A_relink_racing_a_stale_unlink_always_leaves_the_blob_linked()
    {
        for (var round = 0; round < 20; round++)
        {
            var digest = D("race" + round);
            await Store.BlobLinks.LinkAsync(Repo("race/app"), digest, round, Ct);
            var cutOff = (await Store.BlobLinks.GetLinkAsync(Repo("race/app"), digest, Ct))!.LinkedAt.AddTicks(1);
            await Task.Delay(2);
            using var start = new ManualResetEventSlim();
            var relink = Task.Run(async () =>
            {
                start.Wait(Ct);
                await Store.BlobLinks.LinkAsync(Repo("race/app"), digest, round, Ct);
            }, Ct);
            var unlink = Task.Run(async () =>
            {
                start.Wait(Ct);
                return await Store.BlobLinks.UnlinkIfStaleAsync(Repo("race/app"), digest, cutOff, Ct);
            }, Ct);
            start.Set();
            await Task.WhenAll(relink, unlink);

            Assert.Equal(round, await Store.BlobLinks.GetAsync(Repo("race/app"), digest, Ct));
            Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct), $"round {round}: linked, yet not linked anywhere");
        }
    }

    [Fact]
    public async Task Links_are_listed_per_repository_in_digest_order_past_a_backend_page()
    {
        var repository = Repo("many/links");
        var digests = Enumerable.Range(0, 1_100).Select(i => D("link" + i, i % 10 == 0 ? Digest.Sha512 : Digest.Sha256)).ToList();
        await ForEachBoundedAsync(digests, d => Store.BlobLinks.LinkAsync(repository, d, d.Value.Length, Ct));
        await Store.BlobLinks.LinkAsync(Repo("many"), D("elsewhere"), 1, Ct);
        await Store.BlobLinks.LinkAsync(Repo("many/links/deeper"), D("elsewhere"), 1, Ct);
        var expected = Ordinal(digests.Select(d => d.Value));

        var all = await Store.BlobLinks.ListAsync(repository, null, 2_000, Ct);
        var paged = await PageThroughAsync(async (after, n) => [.. (await Store.BlobLinks.ListAsync(repository, after, n, Ct)).Select(l => l.Digest.Value)], 1_000);

        Assert.Equal(expected, all.Select(l => l.Digest.Value));
        Assert.All(all, l => Assert.Equal(l.Digest.Value.Length, l.Size));
        Assert.Equal(expected, paged);
        Assert.Equal(expected.Skip(1_001).Take(5), (await Store.BlobLinks.ListAsync(repository, expected[1_000], 5, Ct)).Select(l => l.Digest.Value));
        Assert.Empty(await Store.BlobLinks.ListAsync(Repo("none"), null, 10, Ct));
    }

    [Fact]
    public async Task A_blob_is_linked_anywhere_until_its_last_link_goes()
    {
        var digest = D("shared-layer");
        Assert.False(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        await Store.BlobLinks.LinkAsync(Repo("a"), digest, 1, Ct);
        await Store.BlobLinks.LinkAsync(Repo("b/c"), digest, 1, Ct);
        await Store.BlobLinks.LinkAsync(Repo("d"), digest, 1, Ct);
        await Store.BlobLinks.LinkAsync(Repo("a"), D("other"), 1, Ct);

        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.True(await Store.BlobLinks.UnlinkAsync(Repo("a"), digest, Ct));
        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.True(await Store.BlobLinks.UnlinkIfStaleAsync(Repo("b/c"), digest, DateTimeOffset.UtcNow + Skew, Ct));
        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.True(await Store.Repositories.DeleteAsync(Repo("d"), Ct));

        Assert.False(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(D("other"), Ct));
        await Store.BlobLinks.LinkAsync(Repo("b/c"), digest, 1, Ct);
        Assert.True(await Store.BlobLinks.IsLinkedAnywhereAsync(digest, Ct));
    }

    /// <summary>Runs <paramref name="action"/> for every item, 16 at a time (filling a store cheaply).</summary>
    protected static async Task ForEachBoundedAsync<T>(IEnumerable<T> items, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
