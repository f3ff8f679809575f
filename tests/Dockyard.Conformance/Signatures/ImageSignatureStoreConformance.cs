using Dockyard.Core.Names;
using Dockyard.Core.Signatures;

namespace Dockyard.Conformance.Signatures;

/// <summary>
/// The behaviour every <see cref="IImageSignatureStore"/> must show: inserts that never overwrite a name, keyed
/// lookups, and listings scoped to one (repository, manifest), ordered by name and bounded.
/// </summary>
public abstract class ImageSignatureStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Created = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
    private static readonly RepositoryName Repository = RepositoryName.Parse("secure/app");
    private static readonly Digest Manifest = Digest.Compute([1]);
    private IImageSignatureStore? store;

    private IImageSignatureStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IImageSignatureStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(IImageSignatureStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
        }
    }

    private static ImageSignature Signature(string suffix, byte content, RepositoryName? repository = null, Digest? manifest = null)
    {
        var m = manifest ?? Manifest;
        return new ImageSignature(repository ?? Repository, m, $"{m}@{suffix}", "atomic", 2, Digest.Compute([content]), 1, Created);
    }

    [Fact]
    public async Task Added_signatures_read_back_by_name_with_every_field()
    {
        var signature = Signature("0a1b", 7);
        Assert.True(await Store.TryAddAsync(signature, Ct));
        Assert.Equal(signature, await Store.GetAsync(Repository, Manifest, signature.Name, Ct));
        Assert.Null(await Store.GetAsync(Repository, Manifest, $"{Manifest}@other", Ct));
        Assert.Null(await Store.GetAsync(RepositoryName.Parse("secure/other"), Manifest, signature.Name, Ct));
    }

    [Fact]
    public async Task A_taken_name_is_never_overwritten()
    {
        Assert.True(await Store.TryAddAsync(Signature("same", 1), Ct));
        Assert.False(await Store.TryAddAsync(Signature("same", 2), Ct));
        Assert.Equal(Digest.Compute([1]), (await Store.GetAsync(Repository, Manifest, $"{Manifest}@same", Ct))!.Content);
    }

    [Fact]
    public async Task Listings_are_scoped_to_repository_and_manifest_ordered_by_name_and_bounded()
    {
        var otherManifest = Digest.Compute([2]);
        var otherRepository = RepositoryName.Parse("secure/app/nested");
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            Assert.True(await Store.TryAddAsync(Signature(suffix, 1), Ct));
        }
        Assert.True(await Store.TryAddAsync(Signature("z", 1, manifest: otherManifest), Ct));
        Assert.True(await Store.TryAddAsync(Signature("y", 1, repository: otherRepository), Ct));

        Assert.Equal(["a", "b", "c"], (await Store.ListAsync(Repository, Manifest, 10, Ct)).Select(s => s.Name[(Manifest.Value.Length + 1)..]));
        Assert.Equal(["a", "b"], (await Store.ListAsync(Repository, Manifest, 2, Ct)).Select(s => s.Name[(Manifest.Value.Length + 1)..]));
        Assert.Single(await Store.ListAsync(Repository, otherManifest, 10, Ct));
        Assert.Single(await Store.ListAsync(otherRepository, Manifest, 10, Ct));
        Assert.Empty(await Store.ListAsync(RepositoryName.Parse("none/here"), Manifest, 10, Ct));
    }

    [Fact]
    public async Task Deleting_a_repository_removes_its_signatures_only()
    {
        var other = RepositoryName.Parse("secure/other");
        Assert.True(await Store.TryAddAsync(Signature("a", 1), Ct));
        Assert.True(await Store.TryAddAsync(Signature("a", 1, other), Ct));
        await Store.DeleteRepositoryAsync(Repository, Ct);
        await Store.DeleteRepositoryAsync(RepositoryName.Parse("secure/never"), Ct);
        Assert.Empty(await Store.ListAsync(Repository, Manifest, 10, Ct));
        Assert.Single(await Store.ListAsync(other, Manifest, 10, Ct));
    }

    [Fact]
    public async Task Of_concurrent_adds_of_one_name_exactly_one_wins()
    {
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await Store.TryAddAsync(Signature("contested", (byte)i), Ct);
        }, Ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(Enumerable.Range(0, 8), i => results[i]);
        Assert.Equal(Signature("contested", (byte)winner), Assert.Single(await Store.ListAsync(Repository, Manifest, 10, Ct)));
    }
}
