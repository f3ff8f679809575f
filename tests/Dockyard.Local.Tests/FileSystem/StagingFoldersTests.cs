using System.Security.Cryptography;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.FileSystem;

/// <summary>A large staged copy thrown away by a publish: the upload ends at once, its bytes go off the request path.</summary>
public sealed class StagingFoldersTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempFolder folder = new();
    private readonly FileSystemBlobStore store;

    public StagingFoldersTests() => store = new FileSystemBlobStore(folder.Path);

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_large_staged_copy_of_a_blob_that_exists_ends_its_upload_at_once_and_is_removed_after()
    {
        var content = RandomNumberGenerator.GetBytes((int)StagingFolders.DeferredBytes);
        var digest = Digest.Compute(content);
        await PublishAsync(content, digest);
        var (id, part) = await StageAsync(content);

        await store.PublishUploadAsync(id, [part], digest, Ct);

        Assert.False(Directory.Exists(folder.Combine("uploads", id)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.WriteUploadPartAsync(id, "late", new MemoryStream([1]), Ct));
        Assert.True(await UploadsEmptyOnceSettled(), "the renamed staging folder was left behind");
        Assert.Equal(content, await File.ReadAllBytesAsync(store.GetLocalPath(digest)!, Ct));
    }

    [Fact]
    public async Task A_small_staged_copy_is_removed_before_the_publish_returns()
    {
        byte[] content = [1, 2, 3];
        var digest = Digest.Compute(content);
        await PublishAsync(content, digest);
        var (id, part) = await StageAsync(content);

        await store.PublishUploadAsync(id, [part], digest, Ct);

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads")));
    }

    [Fact]
    public void Removing_a_folder_that_is_gone_is_no_error()
    {
        StagingFolders.Remove(folder.Combine("uploads", "gone"), StagingFolders.DeferredBytes);
        StagingFolders.Remove(folder.Combine("uploads", "gone"), 0);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads")));
    }

    // Polls until the uploads folder is empty; false if something is still there after ten seconds.
    private async Task<bool> UploadsEmptyOnceSettled()
    {
        for (var i = 0; i < 100 && Directory.EnumerateFileSystemEntries(folder.Combine("uploads")).Any(); i++)
        {
            await Task.Delay(100);
        }
        return !Directory.EnumerateFileSystemEntries(folder.Combine("uploads")).Any();
    }

    private async Task<(string Id, UploadPart Part)> StageAsync(byte[] content)
    {
        var id = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);
        var part = new UploadPart(Guid.NewGuid().ToString("N"), content.Length);
        await store.WriteUploadPartAsync(id, part.Id, new MemoryStream(content), Ct);
        return (id, part);
    }

    private async Task PublishAsync(byte[] content, Digest digest)
    {
        var (id, part) = await StageAsync(content);
        await store.PublishUploadAsync(id, [part], digest, Ct);
    }
}
