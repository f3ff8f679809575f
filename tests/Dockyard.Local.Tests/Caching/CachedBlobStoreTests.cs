using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Caching;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.Caching;

public sealed class CachedBlobStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempFolder folder = new();
    private readonly FileSystemBlobStore remote;

    public CachedBlobStoreTests() => remote = new FileSystemBlobStore(Path.Combine(folder.Path, "remote"));

    public void Dispose() => folder.Dispose();

    private CachedBlobStore NewCache(long maxBytes) => new(remote, Path.Combine(folder.Path, "cache"), maxBytes);

    private async Task<(Digest Digest, byte[] Content)> PutAsync(int length, byte seed)
    {
        var content = Enumerable.Range(0, length).Select(i => (byte)(i * seed)).ToArray();
        var id = Guid.NewGuid().ToString("N");
        await remote.CreateUploadAsync(id, Ct);
        var part = new UploadPart(Guid.NewGuid().ToString("N"), length);
        await remote.WriteUploadPartAsync(id, part.Id, new MemoryStream(content), Ct);
        var digest = Digest.Compute(content);
        await remote.PublishUploadAsync(id, [part], digest, Ct);
        return (digest, content);
    }

    private static async Task<byte[]> ReadAllAsync(IBlobStore store, Digest digest, long offset = 0)
    {
        await using var stream = (await store.OpenReadAsync(digest, offset, Ct))!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_whole_read_fills_the_cache_and_later_reads_come_from_the_local_file()
    {
        var (digest, content) = await PutAsync(100_000, 3);
        var cache = NewCache(1 << 20);
        Assert.Null(cache.GetLocalPath(digest));
        Assert.Equal(content, await ReadAllAsync(cache, digest));
        var path = cache.GetLocalPath(digest);
        Assert.NotNull(path);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        await remote.DeleteAsync(digest, Ct); // served without the remote now
        Assert.Equal(content[500..], await ReadAllAsync(cache, digest, 500));
    }

    [Fact]
    public async Task A_partial_or_offset_read_caches_nothing()
    {
        var (digest, _) = await PutAsync(100_000, 5);
        var cache = NewCache(1 << 20);
        await ReadAllAsync(cache, digest, 10);
        await using (var stream = (await cache.OpenReadAsync(digest, 0, Ct))!)
        {
            await stream.ReadExactlyAsync(new byte[1000]);
        }
        Assert.Null(cache.GetLocalPath(digest));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(folder.Path, "cache", "tmp")));
    }

    [Fact]
    public async Task The_least_recently_used_blobs_are_evicted_past_the_bound()
    {
        var blobs = new List<Digest>();
        for (byte i = 1; i <= 3; i++)
        {
            blobs.Add((await PutAsync(40_000, i)).Digest);
        }
        var cache = NewCache(100_000);
        await ReadAllAsync(cache, blobs[0]);
        await ReadAllAsync(cache, blobs[1]);
        Assert.NotNull(cache.GetLocalPath(blobs[0])); // 0 is now more recent than 1
        await ReadAllAsync(cache, blobs[2]);
        Assert.NotNull(cache.GetLocalPath(blobs[0]));
        Assert.Null(cache.GetLocalPath(blobs[1]));
        Assert.NotNull(cache.GetLocalPath(blobs[2]));
        Assert.True(cache.CachedBytes <= 100_000);
        Assert.Equal(80_000, NewCache(100_000).CachedBytes); // a restart indexes what is there
    }

    [Fact]
    public async Task Delete_removes_the_cached_copy_too()
    {
        var (digest, _) = await PutAsync(1000, 7);
        var cache = NewCache(1 << 20);
        await ReadAllAsync(cache, digest);
        Assert.True(await cache.DeleteAsync(digest, Ct));
        Assert.Null(cache.GetLocalPath(digest));
        Assert.Null(await cache.StatAsync(digest, Ct));
        Assert.Null(await cache.OpenReadAsync(digest, 0, Ct));
    }
}
