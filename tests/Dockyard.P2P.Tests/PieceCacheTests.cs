using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The agent's cache: bounded, whole blobs evicted least recently used first, a blob larger than the bound never
/// evicting itself, kept across restarts, never serving a corrupted piece, the pieces verified last read from memory.
/// </summary>
public sealed class PieceCacheTests : IDisposable
{
    private const int Piece = 4 << 20;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dockyard-cache-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Past_the_bound_the_least_recently_used_blob_goes()
    {
        var cache = new PieceCache(folder, 3L * Piece);
        Digest a = Digest.Compute([1]), b = Digest.Compute([2]), c = Digest.Compute([3]);
        var bytes = new byte[Piece];
        Assert.True(await cache.StoreAsync(a, 0, bytes, CancellationToken.None));
        Assert.True(await cache.StoreAsync(b, 0, bytes, CancellationToken.None));
        Assert.True(await cache.StoreAsync(c, 0, bytes, CancellationToken.None));
        Assert.NotNull(await cache.ReadAsync(a, 0, CancellationToken.None));

        Assert.True(await cache.StoreAsync(c, 1, bytes, CancellationToken.None));

        Assert.True(cache.Holds(a));
        Assert.False(cache.Holds(b));
        Assert.Null(await cache.ReadAsync(b, 0, CancellationToken.None));
        Assert.Equal(3L * Piece, cache.TotalBytes);
        Assert.False(Directory.Exists(Path.Combine(folder, $"sha256-{b.Hex}")));

        Assert.True(await cache.StoreAsync(c, 2, bytes, CancellationToken.None));
        Assert.False(await cache.StoreAsync(c, 3, bytes, CancellationToken.None));
        Assert.False(cache.Holds(a));
        Assert.Equal(3L * Piece, cache.TotalBytes);
    }

    [Fact]
    public async Task A_restarted_cache_keeps_its_pieces_their_repository_and_their_LRU_order()
    {
        Directory.CreateDirectory(Path.Combine(folder, "keep-me"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "mine");
        var cache = new PieceCache(folder, 3L * Piece);
        Digest a = Digest.Compute([1]), b = Digest.Compute([2]), c = Digest.Compute([3]), d = Digest.Compute([4]);
        var bytes = new byte[Piece];
        foreach (var blob in new[] { a, b, c })
        {
            Assert.True(await cache.StoreAsync(blob, 0, bytes, CancellationToken.None));
            await Task.Delay(20);
        }
        cache.Remember(a, RepositoryName.Parse("alice/app"));
        Assert.NotNull(await cache.ReadAsync(a, 0, CancellationToken.None));
        // Leftover of a write interrupted by the crash.
        await File.WriteAllTextAsync(Path.Combine(folder, $"sha256-{c.Hex}", "1.0123.tmp"), "half");

        var restarted = new PieceCache(folder, 3L * Piece);

        Assert.Equal(3L * Piece, restarted.TotalBytes);
        Assert.Equal(bytes, await restarted.ReadAsync(c, 0, CancellationToken.None));
        Assert.Equal([(a, RepositoryName.Parse("alice/app"))], restarted.Restored);
        Assert.False(File.Exists(Path.Combine(folder, $"sha256-{c.Hex}", "1.0123.tmp")));
        // b was used least recently (before c's read and a's), so a new blob evicts it.
        Assert.True(await restarted.StoreAsync(d, 0, bytes, CancellationToken.None));
        Assert.False(restarted.Holds(b));
        Assert.True(restarted.Holds(a) && restarted.Holds(c) && restarted.Holds(d));
        Assert.True(Directory.Exists(Path.Combine(folder, "keep-me")));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(folder, "notes.txt")));

        // A smaller bound at the next start evicts down to it, least recently used first.
        var smaller = new PieceCache(folder, 1L * Piece);
        Assert.Equal(1L * Piece, smaller.TotalBytes);
        Assert.True(smaller.Holds(d));
    }

    [Fact]
    public async Task A_piece_corrupted_on_disk_is_discarded_not_served()
    {
        var cache = new PieceCache(folder, 3L * Piece);
        var blob = Digest.Compute([5]);
        Assert.True(await cache.StoreAsync(blob, 0, TestBlobs.Random(1000, seed: 32), CancellationToken.None));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(folder, $"sha256-{blob.Hex}"), "0-*"));
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^1] ^= 0x80;
        await File.WriteAllBytesAsync(file, bytes);

        Assert.Null(await cache.ReadAsync(blob, 0, CancellationToken.None));

        Assert.False(cache.Holds(blob));
        Assert.Equal(0, cache.TotalBytes);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Pieces_verified_last_are_read_from_memory_and_the_others_from_disk_checked()
    {
        var cache = new PieceCache(folder, 3L * Piece, memoryBytes: 1000);
        var blob = Digest.Compute([6]);
        byte[] first = TestBlobs.Random(1000, seed: 33), second = TestBlobs.Random(1000, seed: 34);
        Assert.True(await cache.StoreVerifiedAsync(blob, 0, first, Hash(first), CancellationToken.None));
        Assert.True(await cache.StoreVerifiedAsync(blob, 1, second, Hash(second), CancellationToken.None));
        Assert.Equal(1000, cache.MemoryBytes);
        // Both corrupted on disk: the one still in memory is served as it was verified, without a read; the other is read, fails its check and goes.
        foreach (var file in Directory.GetFiles(Path.Combine(folder, $"sha256-{blob.Hex}"), "*-*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            bytes[0] ^= 0x01;
            await File.WriteAllBytesAsync(file, bytes);
        }

        Assert.Equal(second, await cache.ReadAsync(blob, 1, Hash(second), CancellationToken.None));
        using (var rented = await cache.RentAsync(blob, 1, CancellationToken.None))
        {
            Assert.Equal(second, rented!.Memory.ToArray());
        }
        Assert.Null(await cache.ReadAsync(blob, 1, Hash(first), CancellationToken.None));
        Assert.Null(await cache.ReadAsync(blob, 0, CancellationToken.None));
        Assert.Equal([1], cache.PiecesOf(blob));
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
