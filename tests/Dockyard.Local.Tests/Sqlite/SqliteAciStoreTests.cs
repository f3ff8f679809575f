using Dockyard.Core.Appc;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Appc;

namespace Dockyard.Local.Tests.Sqlite;

public sealed class SqliteAciStoreTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dockyard-aci-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteAciStore store;
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");
    private static readonly CancellationToken None = CancellationToken.None;

    public SqliteAciStoreTests() => store = new SqliteAciStore(new SqliteDatabase(Path.Combine(folder, "metadata.db")));

    private static AciImage Image(string version, string arch = "amd64") => new(Repository, version, "linux", arch,
        Digest.Compute([1]), 1, Digest.Compute([2]), "sha512-" + new string('a', 128), "{}", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task ImagesAreAddedOnceListedInKeyOrderAndDeleted()
    {
        Assert.True(await store.TryAddAsync(Image("2.0"), None));
        Assert.False(await store.TryAddAsync(Image("2.0") with { ImageId = "sha512-other" }, None));
        Assert.True(await store.TryAddAsync(Image("1.0", "arm64"), None));
        Assert.True(await store.TryAddAsync(Image("1.0"), None));
        Assert.Equal(Image("2.0"), await store.GetAsync(Repository, "2.0", "linux", "amd64", None));
        var all = await store.ListAsync(Repository, null, 10, None);
        Assert.Equal(["1.0/amd64", "1.0/arm64", "2.0/amd64"], all.Select(i => $"{i.Version}/{i.Arch}"));
        Assert.Equal(["2.0"], (await store.ListAsync(Repository, ("1.0", "linux", "arm64"), 10, None)).Select(i => i.Version));
        Assert.True(await store.DeleteAsync(Repository, "2.0", "linux", "amd64", None));
        Assert.Null(await store.GetAsync(Repository, "2.0", "linux", "amd64", None));
    }

    [Fact]
    public async Task UploadUpdatesAreConditional()
    {
        var upload = new AciUpload(new string('0', 32), Repository, new AciFileName("app", "1.0", "linux", "amd64"), null, null, null, DateTimeOffset.UnixEpoch);
        Assert.True(await store.TryCreateUploadAsync(upload, None));
        Assert.False(await store.TryCreateUploadAsync(upload, None));
        var withAci = upload with { AciPart = new UploadPart("p1", 10) };
        Assert.True(await store.TryUpdateUploadAsync(upload, withAci, None));
        Assert.False(await store.TryUpdateUploadAsync(upload, upload with { AciPart = new UploadPart("p2", 5) }, None));
        Assert.Equal(withAci, await store.GetUploadAsync(Repository, upload.Id, None));
        Assert.True(await store.DeleteUploadAsync(Repository, upload.Id, None));
        Assert.Null(await store.GetUploadAsync(Repository, upload.Id, None));
    }

    [Fact]
    public async Task DeletingARepositoryRemovesItsImagesUploadsKeysAndConversionsOnly()
    {
        var other = RepositoryName.Parse("team/other");
        foreach (var repository in new[] { Repository, other })
        {
            Assert.True(await store.TryAddAsync(Image("1.0") with { Repository = repository }, None));
            Assert.True(await store.TryCreateUploadAsync(new AciUpload(new string('1', 32), repository, new AciFileName("app", "2.0", "linux", "amd64"),
                null, null, null, DateTimeOffset.UnixEpoch), None));
            Assert.True(await store.TryAddKeyAsync(new AciPublicKey(repository, "ABC", "armored", DateTimeOffset.UnixEpoch), None));
            await store.PutConversionAsync(new AciConversion(repository, Digest.Compute([3]), Digest.Compute([4], Digest.Sha512), 42), None);
        }
        await store.DeleteRepositoryAsync(Repository, None);
        Assert.Empty(await store.ListAsync(Repository, null, 10, None));
        Assert.Null(await store.GetUploadAsync(Repository, new string('1', 32), None));
        Assert.Empty(await store.ListKeysAsync(Repository, None));
        Assert.Null(await store.GetConversionAsync(Repository, Digest.Compute([3]), None));
        Assert.Single(await store.ListAsync(other, null, 10, None));
        Assert.NotNull(await store.GetUploadAsync(other, new string('1', 32), None));
        Assert.Single(await store.ListKeysAsync(other, None));
        Assert.NotNull(await store.GetConversionAsync(other, Digest.Compute([3]), None));
    }

    [Fact]
    public async Task UploadsStartedBeforeATimeAreListedOldestFirstAcrossRepositories()
    {
        AciUpload Push(int n, string repository, int hour) => new(new string((char)('0' + n), 32), RepositoryName.Parse(repository),
            new AciFileName("app", "1.0", "linux", "amd64"), null, null, null, DateTimeOffset.UnixEpoch.AddHours(hour));
        foreach (var push in new[] { Push(1, "team/app", 5), Push(2, "other/app", 1), Push(3, "team/app", 9), Push(4, "team/app", 3) })
        {
            Assert.True(await store.TryCreateUploadAsync(push, None));
        }

        var listed = await store.ListUploadsStartedBeforeAsync(DateTimeOffset.UnixEpoch.AddHours(6), 10, None);

        Assert.Equal([Push(2, "other/app", 1), Push(4, "team/app", 3), Push(1, "team/app", 5)], listed);
        Assert.Equal([Push(2, "other/app", 1)], await store.ListUploadsStartedBeforeAsync(DateTimeOffset.UnixEpoch.AddHours(6), 1, None));
        Assert.Empty(await store.ListUploadsStartedBeforeAsync(DateTimeOffset.UnixEpoch, 10, None));
    }

    [Fact]
    public async Task KeysAndConversionsAreKeyed()
    {
        Assert.True(await store.TryAddKeyAsync(new AciPublicKey(Repository, "ABC", "armored", DateTimeOffset.UnixEpoch), None));
        Assert.False(await store.TryAddKeyAsync(new AciPublicKey(Repository, "ABC", "other", DateTimeOffset.UnixEpoch), None));
        Assert.Equal(["armored"], (await store.ListKeysAsync(Repository, None)).Select(k => k.Armored));
        Assert.Empty(await store.ListKeysAsync(RepositoryName.Parse("team"), None));
        var conversion = new AciConversion(Repository, Digest.Compute([3]), Digest.Compute([4], Digest.Sha512), 42);
        await store.PutConversionAsync(conversion, None);
        await store.PutConversionAsync(conversion with { Size = 1 }, None);
        Assert.Equal(conversion, await store.GetConversionAsync(Repository, conversion.Manifest, None));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
