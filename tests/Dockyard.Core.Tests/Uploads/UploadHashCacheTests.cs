using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.Tests.Uploads;

public sealed class UploadHashCacheTests
{
    [Fact]
    public void A_saved_state_is_taken_once_at_its_size()
    {
        var cache = new UploadHashCache();
        var hash = UploadHashCache.NewHash();
        hash.AppendData([1, 2, 3]);

        cache.Save("id", 3, hash);

        var taken = cache.Take("id", 3);
        Assert.Same(hash, taken);
        Assert.Equal(Digest.Compute([1, 2, 3]), Digest.FromHash(Digest.Sha256, taken!.GetCurrentHash()));
        Assert.Null(cache.Take("id", 3));
        taken.Dispose();
    }

    [Fact]
    public void A_state_saved_at_another_size_is_not_returned()
    {
        var cache = new UploadHashCache();
        cache.Save("id", 3, UploadHashCache.NewHash());

        Assert.Null(cache.Take("id", 4));
        Assert.Null(cache.Take("id", 3));
    }

    [Fact]
    public void Forget_drops_the_state()
    {
        var cache = new UploadHashCache();
        cache.Save("id", 0, UploadHashCache.NewHash());

        cache.Forget("id");
        cache.Forget("never saved");

        Assert.Null(cache.Take("id", 0));
    }

    [Fact]
    public void The_cache_stays_bounded_and_keeps_recent_states()
    {
        var cache = new UploadHashCache();
        for (var i = 0; i < 5000; i++)
        {
            cache.Save($"id{i}", i, UploadHashCache.NewHash());
        }

        Assert.NotNull(cache.Take("id4999", 4999));
    }
}
