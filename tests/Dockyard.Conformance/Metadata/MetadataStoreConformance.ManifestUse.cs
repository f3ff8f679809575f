namespace Dockyard.Conformance.Metadata;

/// <summary>
/// What garbage collection needs from manifests and tags: a tag set that refuses a manifest the repository does not
/// hold, touches, a delete that spares tagged and recently used manifests even against a concurrent tag set, listings.
/// </summary>
public abstract partial class MetadataStoreConformance
{
    /// <summary>A cut-off later than anything a test did before it: everything untouched since is unused.</summary>
    private static DateTimeOffset Later => DateTimeOffset.UtcNow + Skew;

    [Fact]
    public async Task A_tag_set_on_a_manifest_the_repository_does_not_hold_is_refused_and_writes_nothing()
    {
        var held = await PutTaggedAsync(Repo("app"), "held", "v1");
        var elsewhere = await PutTaggedAsync(Repo("other"), "elsewhere");

        Assert.False(await Store.Tags.SetAsync(Repo("app"), "v2", D("missing"), Ct));
        Assert.False(await Store.Tags.SetAsync(Repo("app"), "v3", elsewhere, Ct));
        Assert.False(await Store.Tags.SetAsync(Repo("app"), "v1", D("missing"), Ct));
        Assert.False(await Store.Tags.SetAsync(Repo("new"), "v1", held, Ct));

        Assert.Equal(["v1"], await Store.Tags.ListAsync(Repo("app"), null, 10, Ct));
        Assert.Equal(held, await Store.Tags.GetAsync(Repo("app"), "v1", Ct));
        Assert.Empty(await Store.Tags.ListAsync(Repo("new"), null, 10, Ct));
        Assert.True(await Store.Tags.SetAsync(Repo("app"), "v2", held, Ct));
    }

    [Fact]
    public async Task DeleteIfUnused_spares_a_tagged_manifest_and_removes_it_once_untagged()
    {
        var digest = await PutTaggedAsync(Repo("app"), "img", "latest");

        Assert.False(await Store.Manifests.DeleteIfUnusedAsync(Repo("app"), digest, Later, Ct));
        Assert.NotNull(await Store.Manifests.GetAsync(Repo("app"), digest, Ct));
        Assert.True(await Store.Tags.DeleteAsync(Repo("app"), "latest", Ct));

        Assert.True(await Store.Manifests.DeleteIfUnusedAsync(Repo("app"), digest, Later, Ct));
        Assert.Null(await Store.Manifests.GetAsync(Repo("app"), digest, Ct));
        Assert.False(await Store.Manifests.DeleteIfUnusedAsync(Repo("app"), digest, Later, Ct));
        Assert.False(await Store.Tags.SetAsync(Repo("app"), "latest", digest, Ct));
    }

    [Fact]
    public async Task DeleteIfUnused_spares_manifests_stored_touched_or_put_again_since_the_cut_off()
    {
        var stored = Manifest("stored");
        var touched = Manifest("touched");
        var reput = Manifest("reput");
        var retagged = Manifest("retagged");
        var before = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
        foreach (var manifest in new[] { touched, reput, retagged })
        {
            await Store.Manifests.PutAsync(Repo("app"), manifest, Ct);
        }
        await Task.Delay(20);
        var cutOff = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Store.Manifests.PutAsync(Repo("app"), stored, Ct);
        Assert.True(await Store.Manifests.TouchAsync(Repo("app"), touched.Digest, Ct));
        await Store.Manifests.PutAsync(Repo("app"), reput, Ct);
        Assert.True(await Store.Tags.SetAsync(Repo("app"), "t", retagged.Digest, Ct));
        Assert.True(await Store.Tags.DeleteAsync(Repo("app"), "t", Ct));

        Assert.False(await Store.Manifests.DeleteIfUnusedAsync(Repo("app"), stored.Digest, before, Ct));
        foreach (var manifest in new[] { stored, touched, reput, retagged })
        {
            Assert.False(await Store.Manifests.DeleteIfUnusedAsync(Repo("app"), manifest.Digest, cutOff, Ct));
            Assert.NotNull(await Store.Manifests.GetAsync(Repo("app"), manifest.Digest, Ct));
        }
        Assert.False(await Store.Manifests.TouchAsync(Repo("app"), D("missing"), Ct));
        Assert.False(await Store.Manifests.TouchAsync(Repo("other"), touched.Digest, Ct));
    }

    [Fact]
    public async Task DeleteIfUnused_removes_the_referrer_entry_with_the_manifest()
    {
        var subject = await PutTaggedAsync(Repo("app"), "subject", "v1");
        var signature = Manifest("signature", subject, "application/vnd.example.sig");
        await Store.Manifests.PutAsync(Repo("app"), signature, Ct);
        Assert.Single(await Store.Manifests.ListReferrersAsync(Repo("app"), subject, Ct));

        Assert.True(await Store.Manifests.DeleteIfUnusedAsync(Repo("app"), signature.Digest, Later, Ct));

        Assert.Empty(await Store.Manifests.ListReferrersAsync(Repo("app"), subject, Ct));
        Assert.NotNull(await Store.Manifests.GetAsync(Repo("app"), subject, Ct));
    }

    [Fact]
    public async Task A_tag_set_racing_DeleteIfUnused_never_leaves_a_tag_on_a_missing_manifest()
    {
        var repository = Repo("race/gc");
        var kept = 0;
        for (var round = 0; round < 20; round++)
        {
            var manifest = Manifest("gc" + round);
            await Store.Manifests.PutAsync(repository, manifest, Ct);
            await Task.Delay(2);
            var cutOff = Later;
            using var start = new ManualResetEventSlim();
            var tag = Task.Run(async () =>
            {
                start.Wait(Ct);
                return await Store.Tags.SetAsync(repository, "t" + round, manifest.Digest, Ct);
            }, Ct);
            var delete = Task.Run(async () =>
            {
                start.Wait(Ct);
                return await Store.Manifests.DeleteIfUnusedAsync(repository, manifest.Digest, cutOff, Ct);
            }, Ct);
            start.Set();
            var (tagged, deleted) = (await tag, await delete);

            var exists = await Store.Manifests.GetAsync(repository, manifest.Digest, Ct) is not null;
            var target = await Store.Tags.GetAsync(repository, "t" + round, Ct);
            Assert.True(tagged != deleted, $"round {round}: tag set {tagged}, delete {deleted}: exactly one must win");
            Assert.Equal(tagged, exists);
            Assert.Equal(tagged ? manifest.Digest : null, target);
            kept += tagged ? 1 : 0;
        }
        Assert.Equal(kept, (await Store.Tags.ListAsync(repository, null, 100, Ct)).Count);
    }

    [Fact]
    public async Task Manifests_are_listed_per_repository_in_digest_order_past_a_backend_page()
    {
        var repository = Repo("many/manifests");
        var manifests = Enumerable.Range(0, 1_100).Select(i => Manifest("manifest" + i)).ToList();
        await ForEachBoundedAsync(manifests, m => Store.Manifests.PutAsync(repository, m, Ct));
        await PutTaggedAsync(Repo("many"), "elsewhere", "v1");
        var expected = Ordinal(manifests.Select(m => m.Digest.Value));

        var all = await Store.Manifests.ListAsync(repository, null, 2_000, Ct);
        var paged = await PageThroughAsync(async (after, n) => [.. (await Store.Manifests.ListAsync(repository, after, n, Ct)).Select(m => m.Digest.Value)], 1_000);

        Assert.Equal(expected, all.Select(m => m.Digest.Value));
        Assert.Equal(manifests.OrderBy(m => m.Digest.Value, StringComparer.Ordinal), all);
        Assert.Equal(expected, paged);
        Assert.Empty(await Store.Manifests.ListAsync(Repo("none"), null, 10, Ct));
    }
}
