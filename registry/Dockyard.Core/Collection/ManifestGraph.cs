using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Collection;

/// <summary>
/// One repository's manifests with what each refers to (index children, blobs) and who refers to each as a subject,
/// read from the stored manifest bytes; for computing what tags keep reachable.
/// </summary>
internal sealed class ManifestGraph
{
    private const int Page = 1000;

    private readonly Dictionary<Digest, ManifestRecord> records = [];
    private readonly Dictionary<Digest, (Digest[] Children, Digest[] Blobs)> edges = [];
    private readonly Dictionary<Digest, List<Digest>> referrers = [];

    public IReadOnlyDictionary<Digest, ManifestRecord> Records => records;

    public static async Task<ManifestGraph> LoadAsync(IMetadataStore metadata, IBlobStore blobs, RepositoryName repository, CancellationToken cancellationToken)
    {
        var graph = new ManifestGraph();
        string? after = null;
        IReadOnlyList<ManifestRecord> page;
        do
        {
            page = await metadata.Manifests.ListAsync(repository, after, Page, cancellationToken);
            foreach (var record in page)
            {
                graph.records[record.Digest] = record;
                // Only the digests are kept, not the parsed documents: a repository may hold many manifests.
                graph.edges[record.Digest] = await ParseAsync(blobs, record, cancellationToken) is { } manifest
                    ? (manifest.Manifests.Select(c => c.Digest).ToArray(), manifest.RequiredBlobs.Select(b => b.Digest).ToArray())
                    : ([], []);
                if (record.Subject is { } subject)
                {
                    if (!graph.referrers.TryGetValue(subject, out var list))
                    {
                        graph.referrers[subject] = list = [];
                    }
                    list.Add(record.Digest);
                }
            }
            after = page.Count > 0 ? page[^1].Digest.Value : null;
        }
        while (page.Count == Page);
        return graph;
    }

    /// <summary>Everything reachable from <paramref name="roots"/>: index children and referrers of reached subjects, transitively.</summary>
    public HashSet<Digest> Reach(IEnumerable<Digest> roots)
    {
        var reached = new HashSet<Digest>();
        var pending = new Stack<Digest>(roots.Where(records.ContainsKey));
        while (pending.TryPop(out var digest))
        {
            if (!reached.Add(digest))
            {
                continue;
            }
            foreach (var child in edges[digest].Children.Where(records.ContainsKey))
            {
                pending.Push(child);
            }
            if (referrers.TryGetValue(digest, out var list))
            {
                foreach (var referrer in list)
                {
                    pending.Push(referrer);
                }
            }
        }
        return reached;
    }

    /// <summary>The manifest's own bytes and the blobs it requires; only its own bytes when they are unreadable.</summary>
    public IEnumerable<Digest> BlobsOf(Digest digest)
    {
        yield return digest;
        foreach (var blob in edges.GetValueOrDefault(digest).Blobs ?? [])
        {
            yield return blob;
        }
    }

    // Bytes that are missing or do not parse any more refer to nothing; the manifest itself is still judged by its tags.
    // Keys are not checked: a manifest stored before they were keeps what it refers to.
    private static async Task<ParsedManifest?> ParseAsync(IBlobStore blobs, ManifestRecord record, CancellationToken cancellationToken)
    {
        if (record.Size is <= 0 or > ManifestParser.MaxManifestBytes)
        {
            return null;
        }
        var bytes = await SmallBlobReader.ReadAsync(blobs, record.Digest, record.Size, cancellationToken);
        try
        {
            return bytes is null ? null : ManifestParser.Parse(bytes, record.MediaType, record.Digest.Algorithm, anyKeys: true);
        }
        catch (RegistryException)
        {
            return null;
        }
    }
}
