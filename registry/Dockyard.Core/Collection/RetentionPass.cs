using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Collection;

/// <summary>
/// Applies a retention rule to one repository's tags: keeps the newest N (by the push time of the manifest each
/// points at, then by name) and those matching the rule's pattern, and deletes the rest. A tag moved since it was
/// listed is left alone.
/// </summary>
internal sealed class RetentionPass(IMetadataStore metadata)
{
    /// <param name="tags">The repository's tags; deleted ones are removed from it.</param>
    public async Task ApplyAsync(RepositoryName repository, RetentionRule rule, ManifestGraph graph, Dictionary<string, Digest> tags, bool dryRun,
        bool details, CollectionReport report, CancellationToken cancellationToken)
    {
        var byAge = tags
            .OrderByDescending(t => graph.Records.TryGetValue(t.Value, out var record) ? record.CreatedAt : DateTimeOffset.MinValue)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (rule.KeepNewest is { } newest)
        {
            keep.UnionWith(byAge.Take(newest).Select(t => t.Key));
        }
        if (rule.KeepTags is { } pattern)
        {
            keep.UnionWith(tags.Keys.Where(t => pattern.IsMatch(t)));
        }
        foreach (var (tag, digest) in byAge.Where(t => !keep.Contains(t.Key)))
        {
            if (!dryRun)
            {
                if (await metadata.Tags.GetAsync(repository, tag, cancellationToken) != digest)
                {
                    continue;
                }
                await metadata.Tags.DeleteAsync(repository, tag, cancellationToken);
            }
            tags.Remove(tag);
            report.TagsDeleted++;
            if (details)
            {
                report.DeletedTags.Add($"{repository}:{tag}");
            }
        }
    }
}
