using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql.Tests;

/// <summary>The node's cache of pulled manifests keeps what is pulled often and stays within its bound in bytes.</summary>
public sealed class MySqlManifestCacheTests
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");

    private static StoredManifest Manifest(int n, int size = 1000)
    {
        var bytes = Encoding.UTF8.GetBytes($"{{\"n\":{n}}}".PadRight(size));
        return new StoredManifest(new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null,
            DateTimeOffset.UnixEpoch.AddSeconds(n)), bytes);
    }

    [Fact]
    public void Adding_ten_times_its_bound_keeps_at_most_the_bound_and_the_entry_pulled_all_along()
    {
        const int Capacity = 100 * (1000 + MySqlManifestCache.EntryOverhead);
        var cache = new MySqlManifestCache(Capacity);
        var hot = Manifest(-1);
        cache.Add(Repository, hot);
        var added = Enumerable.Range(0, 1000).Select(n => Manifest(n)).ToList();
        foreach (var manifest in added)
        {
            cache.Add(Repository, manifest);
            Assert.Same(hot, cache.Find(Repository, hot.Record.Digest));
        }

        var kept = added.Count(m => cache.Find(Repository, m.Record.Digest) is not null);
        Assert.InRange(kept, 1, 100);
        Assert.Same(added[^1], cache.Find(Repository, added[^1].Record.Digest));
        Assert.Null(cache.Find(Repository, added[0].Record.Digest));
    }

    [Fact]
    public void A_manifest_without_its_bytes_or_too_large_for_the_bound_is_not_kept()
    {
        var cache = new MySqlManifestCache(8 * (4000 + MySqlManifestCache.EntryOverhead));
        var withoutBytes = Manifest(1) with { Content = null };
        var large = Manifest(2, 5000);
        var fits = Manifest(3, 4000);

        cache.Add(Repository, withoutBytes);
        cache.Add(Repository, large);
        cache.Add(Repository, fits);

        Assert.Null(cache.Find(Repository, withoutBytes.Record.Digest));
        Assert.Null(cache.Find(Repository, large.Record.Digest));
        Assert.Same(fits, cache.Find(Repository, fits.Record.Digest));
        Assert.Null(cache.Find(RepositoryName.Parse("team/other"), fits.Record.Digest));
    }
}
