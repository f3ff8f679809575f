using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Web.Browsing;

/// <summary>
/// A tag as the repository page lists it. <see cref="ImageSize"/> is the config plus layers of an image manifest and
/// null for an index, whose <see cref="Platforms"/> name its children ("linux/arm64/v8"; empty for an image manifest).
/// <see cref="PushedAt"/> is when the manifest was stored.
/// </summary>
public sealed record TagRow(string Tag, Digest Digest, string MediaType, long? ImageSize, IReadOnlyList<string> Platforms, DateTimeOffset PushedAt);

/// <summary>One page of tags; <see cref="Next"/> is the last tag shown when more follow, null at the end.</summary>
public sealed record TagPage(IReadOnlyList<TagRow> Tags, string? Next);

/// <summary>
/// A page of a repository's tags with what each points at: one ordered tag read for the page, then per tag its manifest
/// record and bytes (through the manifest cache), so a page's cost does not grow with the number of tags.
/// </summary>
public sealed class TagListing(IMetadataStore metadata, ManifestService manifests)
{
    public async Task<TagPage> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken)
    {
        var targets = await metadata.Tags.ListTargetsAsync(repository, after, limit + 1, cancellationToken);
        var rows = new List<TagRow>(Math.Min(limit, targets.Count));
        foreach (var target in targets.Take(limit))
        {
            if (await RowAsync(repository, target, cancellationToken) is { } row)
            {
                rows.Add(row);
            }
        }
        return new TagPage(rows, targets.Count > limit ? targets[limit - 1].Tag : null);
    }

    private async Task<TagRow?> RowAsync(RepositoryName repository, TagTarget target, CancellationToken cancellationToken)
    {
        ManifestContent content;
        try
        {
            content = await manifests.GetAsync(repository, new ManifestReference(target.Digest, null), cancellationToken);
        }
        catch (Core.Errors.RegistryException)
        {
            // Deleted between the tag read and this one.
            return null;
        }
        var record = content.Record;
        if (ManifestDocument.TryParse(content) is not { } parsed)
        {
            return new TagRow(target.Tag, target.Digest, record.MediaType, null, [], record.CreatedAt);
        }
        return parsed.IsIndex
            ? new TagRow(target.Tag, target.Digest, record.MediaType, null, parsed.Manifests.Select(m => PlatformText(m.Platform)).ToList(), record.CreatedAt)
            : new TagRow(target.Tag, target.Digest, record.MediaType, (parsed.Config?.Size ?? 0) + parsed.Layers.Sum(l => l.Size), [], record.CreatedAt);
    }

    public static string PlatformText(Platform? platform) =>
        platform is null ? "unknown" : platform.Variant is { } v ? $"{platform.Os}/{platform.Architecture}/{v}" : $"{platform.Os}/{platform.Architecture}";
}
