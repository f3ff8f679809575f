using Dockyard.Core.Names;
using Dockyard.Core.V1;

namespace Dockyard.Conformance.V1;

/// <summary>
/// The behaviour every <see cref="IV1ImageStore"/> must show: images kept per repository, conditional image writes that
/// never touch a complete image, repository image lists readable from both sides, V1 tags, all listed in ordinal
/// order, and a repository's deletion removing all of it.
/// </summary>
public abstract class V1ImageStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Created = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
    private IV1ImageStore? store;

    private IV1ImageStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IV1ImageStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(IV1ImageStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
        }
    }

    private static string Id(char c) => new(c, 64);

    private static V1Image Image(char c, string? parent = null) => new(Id(c), $"{{\"id\":\"{Id(c)}\"}}", parent, null, null, false, Created);

    private static V1Layer Layer() => new(Digest.Compute([1, 2, 3]), 3, Digest.Compute([4]), true, "sha256:" + new string('e', 64));

    private static readonly RepositoryName Repo = RepositoryName.Parse("team/images");

    [Fact]
    public async Task Images_round_trip_and_only_incomplete_ones_change()
    {
        Assert.Null(await Store.GetImageAsync(Repo, Id('a'), Ct));
        Assert.True(await Store.TryPutIncompleteAsync(Repo, Image('a'), Ct));
        Assert.True(await Store.TryPutIncompleteAsync(Repo, Image('b', Id('a')), Ct));
        Assert.Equal(Image('b', Id('a')), await Store.GetImageAsync(Repo, Id('b'), Ct));

        var withLayer = Image('b', Id('a')) with { Layer = Layer() };
        Assert.True(await Store.TryUpdateIncompleteAsync(Repo, withLayer, Ct));
        Assert.Equal(withLayer, await Store.GetImageAsync(Repo, Id('b'), Ct));
        var complete = withLayer with { Checksum = "tarsum+sha256:" + new string('0', 64), Complete = true };
        Assert.True(await Store.TryUpdateIncompleteAsync(Repo, complete, Ct));
        Assert.Equal(complete, await Store.GetImageAsync(Repo, Id('b'), Ct));

        Assert.False(await Store.TryUpdateIncompleteAsync(Repo, withLayer, Ct));
        Assert.False(await Store.TryPutIncompleteAsync(Repo, Image('b'), Ct));
        Assert.False(await Store.TryUpdateIncompleteAsync(Repo, Image('c'), Ct));
        Assert.Equal(complete, await Store.GetImageAsync(Repo, Id('b'), Ct));
        Assert.Null(await Store.GetImageAsync(Repo, Id('c'), Ct));
    }

    [Fact]
    public async Task Image_json_of_the_largest_accepted_size_round_trips()
    {
        // Hex of random bytes (compressing no better than the digests and ids JSON holds) at the service's size limit.
        var filler = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(V1ImageService.MaxJsonBytes / 2 - 100));
        var large = Image('l') with { Json = $"{{\"id\":\"{Id('l')}\",\"comment\":\"{filler}\"}}" };
        Assert.True(large.Json.Length <= V1ImageService.MaxJsonBytes);
        Assert.True(await Store.TryPutIncompleteAsync(Repo, large, Ct));
        Assert.Equal(large, await Store.GetImageAsync(Repo, Id('l'), Ct));
    }

    [Fact]
    public async Task An_image_id_names_content_only_inside_its_repository()
    {
        var alice = RepositoryName.Parse("alice/private");
        var bob = RepositoryName.Parse("bob/loot");
        var alices = Image('a') with { Layer = Layer(), Complete = true };
        Assert.True(await Store.TryPutIncompleteAsync(alice, alices, Ct));
        await Store.AddRepositoryImageAsync(bob, Id('a'), Ct);

        // Listing an id in another repository reaches nothing there, and a push of the same id there is its own image.
        Assert.Null(await Store.GetImageAsync(bob, Id('a'), Ct));
        var bobs = Image('a') with { Json = "{\"id\":\"" + Id('a') + "\",\"comment\":\"bob\"}" };
        Assert.True(await Store.TryPutIncompleteAsync(bob, bobs, Ct));
        Assert.Equal(bobs, await Store.GetImageAsync(bob, Id('a'), Ct));
        Assert.Equal(alices, await Store.GetImageAsync(alice, Id('a'), Ct));
        Assert.False(await Store.TryUpdateIncompleteAsync(alice, bobs, Ct));
    }

    [Fact]
    public async Task Deleting_a_repository_removes_its_images_lists_and_tags_only()
    {
        var gone = RepositoryName.Parse("team/gone");
        var kept = RepositoryName.Parse("team/kept");
        foreach (var repository in new[] { gone, kept })
        {
            Assert.True(await Store.TryPutIncompleteAsync(repository, Image('a'), Ct));
            await Store.AddRepositoryImageAsync(repository, Id('a'), Ct);
            await Store.SetTagAsync(repository, "latest", Id('a'), Ct);
        }
        await Store.DeleteRepositoryAsync(gone, Ct);
        await Store.DeleteRepositoryAsync(RepositoryName.Parse("team/never"), Ct);
        Assert.Null(await Store.GetImageAsync(gone, Id('a'), Ct));
        Assert.Empty(await Store.ListRepositoryImagesAsync(gone, null, 10, Ct));
        Assert.Null(await Store.GetTagAsync(gone, "latest", Ct));
        Assert.Equal(["team/kept"], await Store.ListImageRepositoriesAsync(Id('a'), null, 10, Ct));
        Assert.NotNull(await Store.GetImageAsync(kept, Id('a'), Ct));
        Assert.Equal(Id('a'), await Store.GetTagAsync(kept, "latest", Ct));
    }

    [Fact]
    public async Task Repository_image_lists_are_idempotent_ordered_and_readable_from_the_image()
    {
        var one = RepositoryName.Parse("team/one");
        var two = RepositoryName.Parse("team/two");
        foreach (var c in "cab")
        {
            await Store.AddRepositoryImageAsync(one, Id(c), Ct);
        }
        await Store.AddRepositoryImageAsync(one, Id('a'), Ct);
        await Store.AddRepositoryImageAsync(two, Id('a'), Ct);
        Assert.Equal([Id('a'), Id('b'), Id('c')], await Store.ListRepositoryImagesAsync(one, null, 10, Ct));
        Assert.Equal([Id('b')], await Store.ListRepositoryImagesAsync(one, Id('a'), 1, Ct));
        Assert.Equal(["team/one", "team/two"], await Store.ListImageRepositoriesAsync(Id('a'), null, 10, Ct));
        Assert.Equal(["team/two"], await Store.ListImageRepositoriesAsync(Id('a'), "team/one", 10, Ct));
        Assert.Empty(await Store.ListImageRepositoriesAsync(Id('d'), null, 10, Ct));
    }

    [Fact]
    public async Task Tags_point_at_images_per_repository()
    {
        var repository = RepositoryName.Parse("team/tags");
        Assert.Null(await Store.GetTagAsync(repository, "latest", Ct));
        await Store.SetTagAsync(repository, "latest", Id('a'), Ct);
        await Store.SetTagAsync(repository, "latest", Id('b'), Ct);
        await Store.SetTagAsync(repository, "1.0", Id('a'), Ct);
        await Store.SetTagAsync(RepositoryName.Parse("team/other"), "x", Id('c'), Ct);
        Assert.Equal(Id('b'), await Store.GetTagAsync(repository, "latest", Ct));
        Assert.Equal([new V1Tag("1.0", Id('a')), new V1Tag("latest", Id('b'))], await Store.ListTagsAsync(repository, null, 10, Ct));
        Assert.Equal([new V1Tag("latest", Id('b'))], await Store.ListTagsAsync(repository, "1.0", 10, Ct));
        Assert.True(await Store.DeleteTagAsync(repository, "latest", Ct));
        Assert.False(await Store.DeleteTagAsync(repository, "latest", Ct));
        Assert.Null(await Store.GetTagAsync(repository, "latest", Ct));
    }
}
