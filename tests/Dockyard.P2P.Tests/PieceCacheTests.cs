using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

/// <summary>The agent's cache: bounded, whole blobs evicted least recently used first, a blob larger than the bound never evicting itself.</summary>
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
    public async Task Starting_empties_only_the_caches_own_folders()
    {
        Directory.CreateDirectory(Path.Combine(folder, "keep-me"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "mine");
        var blob = Digest.Compute([9]);
        Assert.True(await new PieceCache(folder, 3L * Piece).StoreAsync(blob, 0, new byte[10], CancellationToken.None));

        var restarted = new PieceCache(folder, 3L * Piece);

        Assert.False(restarted.Holds(blob));
        Assert.False(Directory.Exists(Path.Combine(folder, $"sha256-{blob.Hex}")));
        Assert.True(Directory.Exists(Path.Combine(folder, "keep-me")));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(folder, "notes.txt")));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
