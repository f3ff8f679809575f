using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Conformance.Metadata;

/// <summary>
/// The behaviour every <see cref="IMetadataStore"/> must show. A backend's test project derives from this class and
/// only says how to create a fresh, empty store (and how to clean it up); every test gets its own store.
/// </summary>
public abstract partial class MetadataStoreConformance : IAsyncLifetime
{
    protected static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A fixed instant with millisecond precision, which every backend can store exactly.</summary>
    protected static readonly DateTimeOffset Created = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    private IMetadataStore? store;

    /// <summary>The store under test, fresh and empty for each test.</summary>
    protected IMetadataStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store (its own file, database, table prefix, key space…).</summary>
    protected abstract Task<IMetadataStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made; called once per test.</summary>
    protected virtual Task DestroyStoreAsync(IMetadataStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
            (store as IDisposable)?.Dispose();
        }
    }

    protected static RepositoryName Repo(string name) => RepositoryName.Parse(name);

    /// <summary>A digest derived from <paramref name="text"/>, so tests can name distinct manifests and blobs.</summary>
    protected static Digest D(string text, string algorithm = Digest.Sha256) =>
        Digest.Compute(System.Text.Encoding.UTF8.GetBytes(text), algorithm);

    protected static ManifestRecord Manifest(string name, Digest? subject = null, string? artifactType = null, string? annotations = null,
        string mediaType = "application/vnd.oci.image.manifest.v1+json", long size = 1234) =>
        new(D(name), mediaType, size, subject, artifactType, annotations, Created);

    /// <summary>Puts a manifest named <paramref name="name"/> and points <paramref name="tags"/> at it.</summary>
    protected async Task<Digest> PutTaggedAsync(RepositoryName repository, string name, params string[] tags)
    {
        var manifest = Manifest(name);
        await Store.Manifests.PutAsync(repository, manifest, Ct);
        foreach (var tag in tags)
        {
            await Store.Tags.SetAsync(repository, tag, manifest.Digest, Ct);
        }
        return manifest.Digest;
    }

    /// <summary>Every item of a listing, fetched <paramref name="pageSize"/> at a time with <c>after</c> set to the last item.</summary>
    protected static Task<List<string>> PageThroughAsync(Func<string?, int, Task<IReadOnlyList<string>>> list, int pageSize) =>
        PageThroughAsync(list, pageSize, item => item);

    /// <summary>As above, for a listing of items whose <paramref name="key"/> is what <c>after</c> takes.</summary>
    protected static async Task<List<T>> PageThroughAsync<T>(Func<string?, int, Task<IReadOnlyList<T>>> list, int pageSize, Func<T, string> key)
    {
        var all = new List<T>();
        string? after = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await list(after, pageSize);
            Assert.True(page.Count <= pageSize, $"a page of {pageSize} returned {page.Count} items");
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }
            after = key(page[^1]);
        }
        throw new InvalidOperationException("paging did not terminate");
    }

    /// <summary>Names in the order a backend must list them: ordinal (byte) order, not a culture's collation.</summary>
    protected static List<string> Ordinal(IEnumerable<string> names)
    {
        var list = names.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
