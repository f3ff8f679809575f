using Dockyard.Core.Metadata;
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

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Blobs_and_uploads_are_reachable_by_the_service_account_only_also_in_an_older_data_folder()
    {
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(Owner, File.GetUnixFileMode(folder.Combine("blobs")));
        Assert.Equal(Owner, File.GetUnixFileMode(folder.Combine("uploads")));
        File.SetUnixFileMode(folder.Combine("blobs"), Owner | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        _ = new FileSystemBlobStore(folder.Path);
        Assert.Equal(Owner, File.GetUnixFileMode(folder.Combine("blobs")));
    }

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
    public async Task Staged_uploads_live_under_uploads_as_one_file_per_part_until_published()
    {
        var id = Guid.NewGuid().ToString("N");
        var partId = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);
        await store.WriteUploadPartAsync(id, partId, new MemoryStream([1, 2, 3]), Ct);

        Assert.True(Directory.Exists(folder.Combine("uploads", id)));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(folder.Combine("uploads", id, partId), Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("blobs")));
    }

    [Fact]
    public async Task A_single_part_is_published_by_renaming_its_file()
    {
        byte[] content = [4, 5, 6, 7];
        var digest = Digest.Compute(content);
        var id = Guid.NewGuid().ToString("N");
        var part = new UploadPart(Guid.NewGuid().ToString("N"), content.Length);
        await store.CreateUploadAsync(id, Ct);
        await store.WriteUploadPartAsync(id, part.Id, new MemoryStream(content), Ct);
        // A rename keeps the file's modification time; a copy would not.
        var marked = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(folder.Combine("uploads", id, part.Id), marked);

        await store.PublishUploadAsync(id, [part], digest, Ct);

        Assert.Equal(marked, File.GetLastWriteTimeUtc(store.GetLocalPath(digest)!));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads")));
    }

    [Fact]
    public async Task A_part_is_never_overwritten()
    {
        var id = Guid.NewGuid().ToString("N");
        var partId = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);
        await store.WriteUploadPartAsync(id, partId, new MemoryStream([1, 2, 3]), Ct);

        await Assert.ThrowsAsync<IOException>(() => store.WriteUploadPartAsync(id, partId, new MemoryStream([9, 9]), Ct));

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(folder.Combine("uploads", id, partId), Ct));
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
        var part = new UploadPart(Guid.NewGuid().ToString("N"), 1);

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateUploadAsync(id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteUploadPartAsync(id, part.Id, data, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenUploadAsync(id, [], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenUploadAsync(id, [part], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PublishUploadAsync(id, [part], Digest.Compute([1]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteUploadPartAsync(id, part.Id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteUploadAsync(id, Ct));
        Assert.False(File.Exists(Path.Combine(folder.Path, "escape")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    [InlineData("abc.def")]
    public async Task Path_traversal_part_ids_are_refused(string partId)
    {
        var id = Guid.NewGuid().ToString("N");
        await store.CreateUploadAsync(id, Ct);
        using var data = new MemoryStream([1]);
        var part = new UploadPart(partId, 1);

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteUploadPartAsync(id, partId, data, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenUploadAsync(id, [part], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PublishUploadAsync(id, [part], Digest.Compute([1]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteUploadPartAsync(id, partId, Ct));
        Assert.False(File.Exists(Path.Combine(folder.Path, "escape")));
        Assert.False(File.Exists(folder.Combine("uploads", "escape")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("uploads", id)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Combine("blobs")));
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
        var part = new UploadPart(Guid.NewGuid().ToString("N"), content.Length);
        using var source = new MemoryStream(content);
        await store.WriteUploadPartAsync(id, part.Id, source, Ct);
        await store.PublishUploadAsync(id, [part], digest, Ct);
    }
}
