using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.Tests.Uploads;

public sealed class HashingReadStreamTests
{
    [Fact]
    public async Task Every_byte_read_is_hashed_and_counted()
    {
        var content = new byte[100_000];
        new Random(1).NextBytes(content);
        using var hash = UploadHashCache.NewHash();
        await using var stream = new HashingReadStream(new MemoryStream(content), hash);

        var buffer = new byte[777];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
        _ = stream.Read(buffer, 0, 10);

        Assert.Equal(content.Length, stream.BytesRead);
        Assert.Equal(Digest.Compute(content), Digest.FromHash(Digest.Sha256, hash.GetCurrentHash()));
    }

    [Fact]
    public void Sync_reads_are_hashed_too()
    {
        byte[] content = [1, 2, 3, 4, 5];
        using var hash = UploadHashCache.NewHash();
        using var stream = new HashingReadStream(new MemoryStream(content), hash);

        stream.CopyTo(Stream.Null);

        Assert.Equal(5, stream.BytesRead);
        Assert.Equal(Digest.Compute(content), Digest.FromHash(Digest.Sha256, hash.GetCurrentHash()));
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public async Task Deferred_reads_are_hashed_and_counted_only_when_observed()
    {
        var content = new byte[10_000];
        new Random(2).NextBytes(content);
        using var hash = UploadHashCache.NewHash();
        await using var stream = new HashingReadStream(new MemoryStream(content), hash);
        var empty = Digest.FromHash(Digest.Sha256, hash.GetCurrentHash());

        var buffer = new byte[content.Length];
        var n = await stream.ReadDeferredAsync(buffer);

        Assert.Equal(content.Length, n);
        Assert.Equal(0, stream.BytesRead);
        Assert.Equal(empty, Digest.FromHash(Digest.Sha256, hash.GetCurrentHash()));
        stream.Observe(buffer.AsSpan(0, n));
        Assert.Equal(content.Length, stream.BytesRead);
        Assert.Equal(Digest.Compute(content), Digest.FromHash(Digest.Sha256, hash.GetCurrentHash()));
    }
}
