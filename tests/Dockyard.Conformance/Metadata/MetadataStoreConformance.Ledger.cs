using Dockyard.Core.Names;

namespace Dockyard.Conformance.Metadata;

/// <summary>Garbage collection's ledger: condemned blobs and the collector's lease.</summary>
public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task Condemned_blobs_are_found_until_released()
    {
        var condemned = Enumerable.Range(0, 250).Select(i => D("condemned" + i)).ToList();
        var innocent = Enumerable.Range(0, 200).Select(i => D("innocent" + i, Digest.Sha512)).ToList();
        await ForEachBoundedAsync(condemned, d => Store.Collection.CondemnAsync(d, Ct));
        await Store.Collection.CondemnAsync(condemned[0], Ct);

        var asked = condemned.Concat(innocent).Reverse().ToList();
        Assert.Equal(Ordinal(condemned.Select(d => d.Value)), Ordinal((await Store.Collection.FindCondemnedAsync(asked, Ct)).Select(d => d.Value)));
        Assert.Empty(await Store.Collection.FindCondemnedAsync(innocent, Ct));
        Assert.Empty(await Store.Collection.FindCondemnedAsync([], Ct));

        await Store.Collection.ReleaseAsync(condemned[7], Ct);
        await Store.Collection.ReleaseAsync(condemned[7], Ct);
        await Store.Collection.ReleaseAsync(innocent[0], Ct);

        Assert.Empty(await Store.Collection.FindCondemnedAsync([condemned[7], innocent[0]], Ct));
        Assert.Equal(new[] { condemned[8] }, await Store.Collection.FindCondemnedAsync([condemned[7], condemned[8]], Ct));
    }

    [Fact]
    public async Task The_lease_is_exclusive_renewable_by_its_holder_and_taken_over_once_expired()
    {
        var now = DateTimeOffset.UtcNow;
        var minute = TimeSpan.FromMinutes(1);

        Assert.True(await Store.Collection.TryAcquireLeaseAsync("node-a", now, minute, Ct));
        Assert.False(await Store.Collection.TryAcquireLeaseAsync("node-b", now.AddSeconds(30), minute, Ct));
        Assert.True(await Store.Collection.TryAcquireLeaseAsync("node-a", now.AddSeconds(30), minute, Ct));
        Assert.False(await Store.Collection.TryAcquireLeaseAsync("node-b", now.AddSeconds(80), minute, Ct));

        Assert.True(await Store.Collection.TryAcquireLeaseAsync("node-b", now.AddSeconds(91), minute, Ct));
        Assert.False(await Store.Collection.TryAcquireLeaseAsync("node-a", now.AddSeconds(100), minute, Ct));
        await Store.Collection.ReleaseLeaseAsync("node-a", Ct);
        Assert.False(await Store.Collection.TryAcquireLeaseAsync("node-a", now.AddSeconds(100), minute, Ct));
        await Store.Collection.ReleaseLeaseAsync("node-b", Ct);
        Assert.True(await Store.Collection.TryAcquireLeaseAsync("node-a", now.AddSeconds(100), minute, Ct));
    }

    [Fact]
    public async Task Nodes_racing_for_a_free_lease_get_it_once()
    {
        var now = DateTimeOffset.UtcNow;
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await Store.Collection.TryAcquireLeaseAsync("node-" + i, now, TimeSpan.FromMinutes(1), Ct);
        }, Ct)).ToList();
        start.Set();

        Assert.Single(await Task.WhenAll(racers), won => won);
    }
}
