using Dockyard.Core.Names;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.FileSystem;

/// <summary>What only the local disk store promises: its layout and that keys never escape its root.</summary>
public sealed class FileSystemBlobStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempFolder folder = new();
    private readonly FileSystemBlobStore store;

    public FileSystemBlobStoreTests() => store = new FileSystemBlobStore(folder.Path);

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(Digest.Sha256)]
    [InlineData(Digest.Sha512)]
    public async Task Blob_files_land_under_blobs_algorithm_two_hex_digits_hex(string algorithm)
    {
        byte[] content = [1, 2, 3, 4, 5];
        var digest = Digest.Compute(content, algorithm);

        await PublishAsync(content, digest);

        var expected = folder.Combine("blobs", algorithm, digest.Hex[..2], digest.Hex);
        Assert.True(File.Exists(expected));
        Assert.Equal(content, await File.ReadAllBytesAsync(expected, Ct));
        Assert.Equal(expected, store.GetLocalPath(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads")));
    }

    [Fact]
    public async Task Staged_uploads_live_under_uploads_until_published()
    {
        var id = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);

        Assert.True(File.Exists(folder.Combine("uploads", id)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("blobs")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    [InlineData("abc.def")]
    public async Task Path_traversal_upload_ids_are_refused(string id)
    {
        using var data = new MemoryStream([1]);

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateUploadAsync(id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteUploadAsync(id, 0, data, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenUploadAsync(id, 0, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PublishUploadAsync(id, 0, Digest.Compute([]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteUploadAsync(id, Ct));
        Assert.False(File.Exists(Path.Combine(folder.Path, "escape")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads")));
    }

    [Fact]
    public async Task A_second_store_on_the_same_folder_sees_published_blobs()
    {
        byte[] content = [9, 8, 7];
        var digest = Digest.Compute(content);
        await PublishAsync(content, digest);

        var reopened = new FileSystemBlobStore(folder.Path);

        Assert.Equal(3, await reopened.StatAsync(digest, Ct));
    }

    private async Task PublishAsync(byte[] content, Digest digest)
    {
        var id = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);
        using var source = new MemoryStream(content);
        await store.WriteUploadAsync(id, 0, source, Ct);
        await store.PublishUploadAsync(id, content.Length, digest, Ct);
    }
}
