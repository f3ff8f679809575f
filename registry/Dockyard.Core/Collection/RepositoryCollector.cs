using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Collection;

/// <summary>
/// Garbage collection's mark for one repository: applies its retention rule to tags, deletes the manifests no tag
/// reaches (when untagged deletion is on), then removes the links no kept manifest, signature, V1 image or ACI refers
/// to, and reports every blob the repository keeps linked.
/// </summary>
internal sealed class RepositoryCollector(IBlobStore blobs, IMetadataStore metadata, RepositoryReferences extras, CollectionOptions options, TimeProvider time)
{
    private const int Page = 1000;

    /// <param name="cutoff">Nothing stored, touched or linked at or after this is removed (run start minus the grace period).</param>
    /// <param name="kept">Receives the digest of every blob the repository keeps linked.</param>
    public async Task CollectAsync(RepositoryName repository, DateTimeOffset cutoff, bool dryRun, bool details, DigestSet kept,
        CollectionReport report, CancellationToken cancellationToken)
    {
        var rule = options.Retention.FirstOrDefault(r => r.Matches(repository.Value));
        var graph = await ManifestGraph.LoadAsync(metadata, blobs, repository, cancellationToken);
        var tags = await ListTagsAsync(repository, cancellationToken);
        if (rule is { LimitsTags: true })
        {
            await new RetentionPass(metadata).ApplyAsync(repository, rule, graph, tags, dryRun, details, report, cancellationToken);
        }

        var untaggedCutoff = rule?.UntaggedAge is { } age ? Min(cutoff, time.GetUtcNow() - age) : cutoff;
        var deleteUntagged = rule?.UntaggedAge is not null || options.DeleteUntagged;
        var roots = tags.Values.Concat(graph.Records.Values
            .Where(m => !deleteUntagged || m.CreatedAt >= untaggedCutoff)
            .Select(m => m.Digest));
        var keptManifests = graph.Reach(roots);
        foreach (var digest in graph.Records.Keys.Where(d => !keptManifests.Contains(d)).ToList())
        {
            if (dryRun)
            {
                Note(report, details, repository, digest);
            }
            else if (await metadata.Manifests.DeleteIfUnusedAsync(repository, digest, untaggedCutoff, cancellationToken))
            {
                Note(report, details, repository, digest);
            }
            else
            {
                // Tagged or touched since it was listed: a request uses it now, so it and what it reaches stay.
                keptManifests.UnionWith(graph.Reach([digest]));
            }
        }

        var referenced = new HashSet<Digest>();
        foreach (var manifest in keptManifests)
        {
            referenced.UnionWith(graph.BlobsOf(manifest));
            await extras.AddManifestExtrasAsync(repository, manifest, referenced, cancellationToken);
        }
        await extras.AddRepositoryExtrasAsync(repository, referenced, cancellationToken);
        await SweepLinksAsync(repository, referenced, cutoff, dryRun, kept, report, cancellationToken);
    }

    private async Task SweepLinksAsync(RepositoryName repository, HashSet<Digest> referenced, DateTimeOffset cutoff, bool dryRun, DigestSet kept,
        CollectionReport report, CancellationToken cancellationToken)
    {
        var linked = new HashSet<Digest>();
        string? after = null;
        IReadOnlyList<BlobLink> page;
        do
        {
            page = await metadata.BlobLinks.ListAsync(repository, after, Page, cancellationToken);
            foreach (var link in page)
            {
                linked.Add(link.Digest);
                if (referenced.Contains(link.Digest) || link.LinkedAt >= cutoff)
                {
                    kept.Add(link.Digest);
                }
                else if (dryRun || await metadata.BlobLinks.UnlinkIfStaleAsync(repository, link.Digest, cutoff, cancellationToken))
                {
                    report.LinksRemoved++;
                }
                else
                {
                    kept.Add(link.Digest); // re-linked since it was listed
                }
            }
            after = page.Count > 0 ? page[^1].Digest.Value : null;
        }
        while (page.Count == Page);

        // Data stored before every reference was a link (manifest bytes, signatures, V1 layers) gets its link now.
        foreach (var digest in referenced.Where(d => !linked.Contains(d)))
        {
            if (await blobs.StatAsync(digest, cancellationToken) is not { } size)
            {
                continue;
            }
            if (!dryRun)
            {
                await metadata.BlobLinks.LinkAsync(repository, digest, size, cancellationToken);
            }
            kept.Add(digest);
            report.LinksRestored++;
        }
    }

    private async Task<Dictionary<string, Digest>> ListTagsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, Digest>(StringComparer.Ordinal);
        string? after = null;
        IReadOnlyList<TagTarget> page;
        do
        {
            page = await metadata.Tags.ListTargetsAsync(repository, after, Page, cancellationToken);
            foreach (var target in page)
            {
                tags[target.Tag] = target.Digest;
            }
            after = page.Count > 0 ? page[^1].Tag : null;
        }
        while (page.Count == Page);
        return tags;
    }

    private static void Note(CollectionReport report, bool details, RepositoryName repository, Digest digest)
    {
        report.ManifestsDeleted++;
        if (details)
        {
            report.DeletedManifests.Add($"{repository}@{digest}");
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
