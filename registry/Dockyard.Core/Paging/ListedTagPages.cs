using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Core.Paging;

/// <summary>
/// A node's memory of listed tag pages, each with the repository stamp it was read under
/// (<see cref="Metadata.PullCache.IRepositoryStamps"/>): a page is served again only under the same stamp, so a tag
/// pushed or deleted by any writer shows in the very next listing. Bounded by the pages' size, oldest out first.
/// </summary>
public sealed class ListedTagPages(long capacityBytes = ListedTagPages.DefaultCapacityBytes)
{
    /// <summary>8 MiB: thousands of typical pages; a page of the most tags one listing returns (10,000) fits too.</summary>
    public const long DefaultCapacityBytes = 8L * 1024 * 1024;

    // What an entry costs besides its names (the key, the list, the dictionary's node), roughly; a name costs its UTF-16
    // characters and a string's header.
    private const int Overhead = 256;
    private const int PerName = 32;

    private readonly FifoByteCache<Key, Entry> entries = new(capacityBytes);

    /// <summary>The page listed for <paramref name="request"/> under <paramref name="stamp"/>; null when there is none under that stamp.</summary>
    public Page? Get(RepositoryName repository, PageRequest request, string stamp) =>
        entries.TryGet(KeyOf(repository, request), out var entry) && entry.Stamp == stamp ? entry.Page : null;

    /// <summary>Keeps <paramref name="page"/>, listed for <paramref name="request"/> under <paramref name="stamp"/>, replacing what the key held.</summary>
    public void Add(RepositoryName repository, PageRequest request, string stamp, Page page)
    {
        var size = Overhead + 2L * (repository.Value.Length + (request.After?.Length ?? 0));
        foreach (var name in page.Items)
        {
            size += PerName + 2L * name.Length;
        }
        entries.Add(KeyOf(repository, request), new Entry(stamp, page), size, replace: true);
    }

    // n=10000 and no n list the same page.
    private static Key KeyOf(RepositoryName repository, PageRequest request) => new(repository.Value, request.After, request.EffectiveLimit);

    private readonly record struct Key(string Repository, string? After, int Limit);

    private sealed record Entry(string Stamp, Page Page);
}
