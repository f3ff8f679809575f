using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Core.Tests.Manifests;

public sealed class ManifestContentCacheTests
{
    private static (Digest Digest, byte[] Bytes) Entry(int i)
    {
        var bytes = new byte[1024];
        BitConverter.GetBytes(i).CopyTo(bytes, 0);
        return (Digest.Compute(bytes), bytes);
    }

    [Fact]
    public void Past_its_bound_it_evicts_the_oldest_entries_and_keeps_the_newest()
    {
        var cache = new ManifestContentCache(capacityBytes: 16 * 1024);
        for (var i = 0; i < 100; i++)
        {
            var (digest, bytes) = Entry(i);
            cache.Add(digest, bytes);
        }
        var held = Enumerable.Range(0, 100).Where(i => cache.Get(Entry(i).Digest) is not null).ToList();
        // Never more than the bound (16 entries of 1 KiB), never emptied: the most recent additions are all there.
        Assert.InRange(held.Count, 12, 16);
        Assert.Equal(Enumerable.Range(100 - held.Count, held.Count), held);
        Assert.Equal(Entry(99).Bytes, cache.Get(Entry(99).Digest));
    }

    [Fact]
    public void An_entry_larger_than_a_quarter_of_the_bound_is_not_kept()
    {
        var cache = new ManifestContentCache(capacityBytes: 4000);
        var (digest, bytes) = Entry(1);
        cache.Add(digest, bytes);
        Assert.Null(cache.Get(digest));
    }
}
