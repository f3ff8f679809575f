using Dockyard.Core.Appc;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Appc;

/// <summary>
/// The behaviour every <see cref="IAciStore"/> must show: ACIs published once per (version, os, arch) and listed in
/// that order, conditional push updates of which one of concurrent writers wins, keys and conversions keyed per
/// repository, abandoned pushes listed oldest first, and a repository's deletion removing all of it.
/// </summary>
public abstract class AciStoreConformance : IAsyncLifetime
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");
    private static readonly CancellationToken None = CancellationToken.None;
    private IAciStore? store;

    private IAciStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IAciStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(IAciStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
        }
    }

    private static AciImage Image(string version, string arch = "amd64") => new(Repository, version, "linux", arch,
        Digest.Compute([1]), 1, Digest.Compute([2]), "sha512-" + new string('a', 128), "{}", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task ImagesAreAddedOnceListedInKeyOrderAndDeleted()
    {
        Assert.True(await Store.TryAddAsync(Image("2.0"), None));
        Assert.False(await Store.TryAddAsync(Image("2.0") with { ImageId = "sha512-other" }, None));
        Assert.True(await Store.TryAddAsync(Image("1.0", "arm64"), None));
        Assert.True(await Store.TryAddAsync(Image("1.0"), None));
        Assert.Equal(Image("2.0"), await Store.GetAsync(Repository, "2.0", "linux", "amd64", None));
        var all = await Store.ListAsync(Repository, null, 10, None);
        Assert.Equal(["1.0/amd64", "1.0/arm64", "2.0/amd64"], all.Select(i => $"{i.Version}/{i.Arch}"));
        Assert.Equal(["2.0"], (await Store.ListAsync(Repository, ("1.0", "linux", "arm64"), 10, None)).Select(i => i.Version));
        Assert.True(await Store.DeleteAsync(Repository, "2.0", "linux", "amd64", None));
        Assert.Null(await Store.GetAsync(Repository, "2.0", "linux", "amd64", None));
    }

    [Fact]
    public async Task UploadUpdatesAreConditional()
    {
        var upload = new AciUpload(new string('0', 32), Repository, new AciFileName("app", "1.0", "linux", "amd64"), null, null, null, DateTimeOffset.UnixEpoch);
        Assert.True(await Store.TryCreateUploadAsync(upload, None));
        Assert.False(await Store.TryCreateUploadAsync(upload, None));
        var withAci = upload with { AciPart = new UploadPart("p1", 10) };
        Assert.True(await Store.TryUpdateUploadAsync(upload, withAci, None));
        Assert.False(await Store.TryUpdateUploadAsync(upload, upload with { AciPart = new UploadPart("p2", 5) }, None));
        Assert.Equal(withAci, await Store.GetUploadAsync(Repository, upload.Id, None));
        Assert.True(await Store.DeleteUploadAsync(Repository, upload.Id, None));
        Assert.Null(await Store.GetUploadAsync(Repository, upload.Id, None));
    }

    [Fact]
    public async Task DeletingARepositoryRemovesItsImagesUploadsKeysAndConversionsOnly()
    {
        var other = RepositoryName.Parse("team/other");
        foreach (var repository in new[] { Repository, other })
        {
            Assert.True(await Store.TryAddAsync(Image("1.0") with { Repository = repository }, None));
            Assert.True(await Store.TryCreateUploadAsync(new AciUpload(new string('1', 32), repository, new AciFileName("app", "2.0", "linux", "amd64"),
                null, null, null, DateTimeOffset.UnixEpoch), None));
            Assert.True(await Store.TryAddKeyAsync(new AciPublicKey(repository, "ABC", "armored", DateTimeOffset.UnixEpoch), None));
            await Store.PutConversionAsync(new AciConversion(repository, Digest.Compute([3]), Digest.Compute([4], Digest.Sha512), 42), None);
        }
        await Store.DeleteRepositoryAsync(Repository, None);
        Assert.Empty(await Store.ListAsync(Repository, null, 10, None));
        Assert.Null(await Store.GetUploadAsync(Repository, new string('1', 32), None));
        Assert.Empty(await Store.ListKeysAsync(Repository, None));
        Assert.Null(await Store.GetConversionAsync(Repository, Digest.Compute([3]), None));
        Assert.Single(await Store.ListAsync(other, null, 10, None));
        Assert.NotNull(await Store.GetUploadAsync(other, new string('1', 32), None));
        Assert.Single(await Store.ListKeysAsync(other, None));
        Assert.NotNull(await Store.GetConversionAsync(other, Digest.Compute([3]), None));
    }

    [Fact]
    public async Task UploadsStartedBeforeATimeAreListedOldestFirstAcrossRepositories()
    {
        AciUpload Push(int n, string repository, int hour) => new(new string((char)('0' + n), 32), RepositoryName.Parse(repository),
            new AciFileName("app", "1.0", "linux", "amd64"), null, null, null, DateTimeOffset.UnixEpoch.AddHours(hour));
        foreach (var push in new[] { Push(1, "team/app", 5), Push(2, "other/app", 1), Push(3, "team/app", 9), Push(4, "team/app", 3) })
        {
            Assert.True(await Store.TryCreateUploadAsync(push, None));
        }

        var listed = await Store.ListUploadsStartedBeforeAsync(DateTimeOffset.UnixEpoch.AddHours(6), 10, None);

        Assert.Equal([Push(2, "other/app", 1), Push(4, "team/app", 3), Push(1, "team/app", 5)], listed);
        Assert.Equal([Push(2, "other/app", 1)], await Store.ListUploadsStartedBeforeAsync(DateTimeOffset.UnixEpoch.AddHours(6), 1, None));
        Assert.Empty(await Store.ListUploadsStartedBeforeAsync(DateTimeOffset.UnixEpoch, 10, None));
    }

    [Fact]
    public async Task KeysAndConversionsAreKeyed()
    {
        Assert.True(await Store.TryAddKeyAsync(new AciPublicKey(Repository, "ABC", "armored", DateTimeOffset.UnixEpoch), None));
        Assert.False(await Store.TryAddKeyAsync(new AciPublicKey(Repository, "ABC", "other", DateTimeOffset.UnixEpoch), None));
        Assert.Equal(["armored"], (await Store.ListKeysAsync(Repository, None)).Select(k => k.Armored));
        Assert.Empty(await Store.ListKeysAsync(RepositoryName.Parse("team"), None));
        var conversion = new AciConversion(Repository, Digest.Compute([3]), Digest.Compute([4], Digest.Sha512), 42);
        await Store.PutConversionAsync(conversion, None);
        await Store.PutConversionAsync(conversion with { Size = 1 }, None);
        Assert.Equal(conversion, await Store.GetConversionAsync(Repository, conversion.Manifest, None));
    }

    [Fact]
    public async Task Manifests_of_the_largest_accepted_size_round_trip()
    {
        // Hex of random bytes (compressing no better than the digests and ids JSON holds) at the service's size limit.
        var filler = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(AciArchive.MaxManifestBytes / 2 - 100));
        var manifest = $"{{\"acKind\":\"ImageManifest\",\"name\":\"{filler}\"}}";
        Assert.True(manifest.Length <= AciArchive.MaxManifestBytes);
        var image = Image("1.0") with { Manifest = manifest };
        Assert.True(await Store.TryAddAsync(image, None));
        Assert.Equal(image, await Store.GetAsync(Repository, "1.0", "linux", "amd64", None));

        var upload = new AciUpload(new string('9', 32), Repository, new AciFileName("app", "1.0", "linux", "amd64"), null, null, null, DateTimeOffset.UnixEpoch);
        Assert.True(await Store.TryCreateUploadAsync(upload, None));
        Assert.True(await Store.TryUpdateUploadAsync(upload, upload with { Manifest = manifest }, None));
        Assert.Equal(upload with { Manifest = manifest }, await Store.GetUploadAsync(Repository, upload.Id, None));
    }

    [Fact]
    public async Task Of_concurrent_updates_of_one_push_exactly_one_wins()
    {
        var upload = new AciUpload(new string('8', 32), Repository, new AciFileName("app", "1.0", "linux", "amd64"), null, null, null, DateTimeOffset.UnixEpoch);
        Assert.True(await Store.TryCreateUploadAsync(upload, None));
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait(None);
            return await Store.TryUpdateUploadAsync(upload, upload with { AciPart = new UploadPart($"p{i}", i) }, None);
        }, None)).ToList();
        start.Set();
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(Enumerable.Range(0, 8), i => results[i]);
        Assert.Equal(upload with { AciPart = new UploadPart($"p{winner}", winner) }, await Store.GetUploadAsync(Repository, upload.Id, None));
    }
}
