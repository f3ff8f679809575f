using Dockyard.Core.Blobs;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>The listing garbage collection walks: published blobs only, in digest order, with their publish times.</summary>
public abstract partial class BlobStoreConformance
{
    /// <summary>How far the store's clock and this machine's may disagree (Azure and RADOS stamp times themselves).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Puts something in the store's blob area that is not a published blob (a name no digest makes); false when the
    /// backend has no such area to spoil, and then the test only checks the listing.
    /// </summary>
    protected virtual Task<bool> WriteStrayObjectAsync() => Task.FromResult(false);

    [Fact]
    public async Task Published_blobs_are_listed_in_digest_order_with_size_and_time_and_page_after_the_last()
    {
        var before = DateTimeOffset.UtcNow;
        var digests = new List<Digest>();
        for (var i = 0; i < 12; i++)
        {
            digests.Add(await PutBlobAsync(Content(100 + i, seed: i), i % 4 == 0 ? Digest.Sha512 : Digest.Sha256));
        }
        var expected = digests.OrderBy(d => d.Value, StringComparer.Ordinal).ToList();

        var all = await Store.ListBlobsAsync(null, 100, Ct);
        var paged = new List<StoredBlob>();
        for (string? after = null; ;)
        {
            var page = await Store.ListBlobsAsync(after, 5, Ct);
            Assert.True(page.Count <= 5);
            paged.AddRange(page);
            if (page.Count < 5)
            {
                break;
            }
            after = page[^1].Digest.Value;
        }

        Assert.Equal(expected, all.Select(b => b.Digest));
        Assert.Equal(expected, paged.Select(b => b.Digest));
        Assert.All(all, b => Assert.Equal(100 + digests.IndexOf(b.Digest), b.Size));
        Assert.All(all, b => Assert.InRange(b.PublishedAt, before - Skew, DateTimeOffset.UtcNow + Skew));
        Assert.Equal(expected.Skip(3).Take(2), (await Store.ListBlobsAsync(expected[2].Value, 2, Ct)).Select(b => b.Digest));
        Assert.Empty(await Store.ListBlobsAsync(expected[^1].Value, 10, Ct));
        Assert.Empty(await Store.ListBlobsAsync(null, 0, Ct));
    }

    [Fact]
    public async Task Listing_starts_strictly_after_a_digest_the_store_does_not_hold()
    {
        var digests = new List<Digest>();
        for (var i = 0; i < 6; i++)
        {
            digests.Add(await PutBlobAsync(Content(10, seed: 50 + i)));
        }
        var sorted = digests.Select(d => d.Value).Order(StringComparer.Ordinal).ToList();
        var between = sorted[2] + "0"; // a longer string that starts with sorted[2]: after it, before sorted[3]

        var listed = await Store.ListBlobsAsync(between, 10, Ct);

        Assert.Equal(sorted.Skip(3), listed.Select(b => b.Digest.Value));
        Assert.Equal(sorted, (await Store.ListBlobsAsync("sha256:", 10, Ct)).Select(b => b.Digest.Value));
        Assert.Empty(await Store.ListBlobsAsync("sha256:g", 10, Ct));
    }

    [Fact]
    public async Task Publishing_a_digest_that_exists_refreshes_its_publish_time_and_keeps_its_bytes()
    {
        var content = Content(3000, seed: 9);
        var digest = await PutBlobAsync(content);
        var first = Assert.Single(await Store.ListBlobsAsync(null, 10, Ct));
        // Azure and RADOS keep modification times to the second.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(digest, await PutBlobAsync(content));

        var second = Assert.Single(await Store.ListBlobsAsync(null, 10, Ct));
        Assert.Equal(digest, second.Digest);
        Assert.Equal(3000, second.Size);
        Assert.True(second.PublishedAt > first.PublishedAt, $"publishing again left the time at {second.PublishedAt:O} (first {first.PublishedAt:O})");
        Assert.Equal(content, await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task Deleted_blobs_staged_uploads_and_stray_objects_are_not_listed()
    {
        var kept = await PutBlobAsync(Content(10, seed: 1));
        var deleted = await PutBlobAsync(Content(10, seed: 2));
        await StageAsync(Content(10, seed: 3));
        Assert.True(await Store.DeleteAsync(deleted, Ct));
        await WriteStrayObjectAsync();

        var listed = await Store.ListBlobsAsync(null, 100, Ct);

        Assert.Equal(new[] { kept }, listed.Select(b => b.Digest));
    }
}
