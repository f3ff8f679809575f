namespace Dockyard.Conformance.Metadata;

/// <summary>
/// Races and sizes every backend must survive: one tag set, moved and deleted by concurrent writers, and listings longer
/// than a backend's page (Azure Tables answers at most 1,000 entities per request and continues with a token).
/// </summary>
public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task Concurrent_moves_and_deletes_of_one_tag_leave_it_at_one_written_target_or_gone()
    {
        var repository = Repo("race/app");
        var targets = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PutTaggedAsync(repository, "m" + i)));
        for (var round = 0; round < 5; round++)
        {
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
            {
                start.Wait(Ct);
                if (i % 4 == 3)
                {
                    await Store.Tags.DeleteAsync(repository, "latest", Ct);
                }
                else
                {
                    await Store.Tags.SetAsync(repository, "latest", targets[i % targets.Length], Ct);
                }
            }, Ct)).ToList();
            start.Set();
            await Task.WhenAll(racers);

            var target = await Store.Tags.GetAsync(repository, "latest", Ct);
            var listed = await Store.Tags.ListAsync(repository, null, 100, Ct);
            Assert.True(target is null || targets.Contains(target), $"the tag points at {target}, which no writer wrote");
            Assert.Equal(target is null ? 0 : 1, listed.Count(t => t == "latest"));
        }
    }

    [Fact]
    public async Task Listings_longer_than_a_backend_page_are_complete_and_page_with_last_and_n()
    {
        var repository = Repo("many/tags");
        var digest = await PutTaggedAsync(repository, "m");
        var names = Enumerable.Range(0, 1_100).Select(i => $"t{i:D5}").ToList();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(names.Select(async name =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                await Store.Tags.SetAsync(repository, name, digest, Ct);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(names, await Store.Tags.ListAsync(repository, null, 2_000, Ct));
        Assert.Equal(names.Skip(1_000), await Store.Tags.ListAsync(repository, names[999], 1_000, Ct));
        Assert.Equal(names, await PageThroughAsync((after, limit) => Store.Tags.ListAsync(repository, after, limit, Ct), 400));
    }

    [Fact]
    public async Task Concurrent_links_of_one_blob_keep_one_link()
    {
        var repository = Repo("race/links");
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Store.BlobLinks.LinkAsync(repository, D("blob"), 42, Ct), Ct)));
        Assert.Equal(42, await Store.BlobLinks.GetAsync(repository, D("blob"), Ct));
        Assert.Equal(42, await Store.BlobLinks.SumSizesAsync("race", Ct));
    }
}
