using System.Security.Cryptography;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.FileSystem;

public sealed class PageCacheWarmerTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_blob_written_directly_is_read_back_into_the_page_cache()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "direct writes and mincore are Linux's");
        var path = folder.Combine("blob");
        await WriteDirectly(path, 8 << 20);
        Skip.IfNot(PageCache.TryDrop(path), "this file system keeps its files in memory (tmpfs): nothing to warm");

        var warming = PageCacheWarmer.TryStart(path, 8 << 20);
        Assert.NotNull(warming);
        await warming;
        // The task ends once the kernel has the reads; the disk fills the pages after it.
        Assert.Equal(1.0, await ResidentShareOnceSettled(path));
    }

    [Fact]
    public async Task A_blob_deleted_before_it_is_warmed_is_no_error()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "direct writes are Linux's");
        var path = folder.Combine("gone");
        var warming = PageCacheWarmer.TryStart(path, 8 << 20);
        Assert.NotNull(warming);
        await warming; // completes without an exception
        Assert.True(warming.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_blob_smaller_than_a_direct_chunk_or_larger_than_a_quarter_of_the_available_memory_is_not_warmed()
    {
        var path = folder.Combine("small");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Null(PageCacheWarmer.TryStart(path, 3));
        // All the memory available now: more than a quarter of it, however much it moves meanwhile (short of fourfold).
        Assert.Null(PageCacheWarmer.TryStart(path, Math.Max(PageCacheWarmer.AvailableBytes(), 1L << 30)));
    }

    // Polls until every page is in or the share stops growing for a while (a warm that stopped short fails the test).
    private static async Task<double> ResidentShareOnceSettled(string path)
    {
        var share = PageCache.ResidentShare(path);
        for (var still = 0; share < 1.0 && still < 50; still++)
        {
            await Task.Delay(100);
            var now = PageCache.ResidentShare(path);
            still = now > share ? 0 : still;
            share = now;
        }
        return share;
    }

    private static async Task WriteDirectly(string path, int size)
    {
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        await OverlappedFileCopy.CopyAsync(new MemoryStream(RandomNumberGenerator.GetBytes(size)), file, 0, CancellationToken.None);
    }
}
