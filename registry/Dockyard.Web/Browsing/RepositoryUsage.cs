using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Web.Browsing;

/// <summary>
/// A repository's stored size (each linked blob once: layers, configs and manifests pushed as blobs) and when something
/// was last pushed into it (the latest blob link: an upload, a mount or a re-push refreshes it). <see cref="Partial"/>
/// means the repository links more blobs than were read, so <see cref="Size"/> is a lower bound. <see cref="LastPush"/> is
/// null for an empty repository.
/// </summary>
public sealed record RepositoryUsageFigures(long Size, DateTimeOffset? LastPush, bool Partial);

/// <summary>
/// Reads <see cref="RepositoryUsageFigures"/> from the repository's blob links: the metadata store keeps no per-repository
/// totals, and this ordered listing is the cheapest read that has both size and time. It costs one listing read per
/// <see cref="PageSize"/> links, at most <see cref="MaxPages"/> per repository (a typical repository links tens of blobs: one read).
/// </summary>
public sealed class RepositoryUsage(IMetadataStore metadata)
{
    public const int PageSize = 1_000;
    public const int MaxPages = 5;

    public async Task<RepositoryUsageFigures> ReadAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        long size = 0;
        DateTimeOffset? last = null;
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var links = await metadata.BlobLinks.ListAsync(repository, after, PageSize, cancellationToken);
            foreach (var link in links)
            {
                size += link.Size;
                last = last is { } seen && seen >= link.LinkedAt ? seen : link.LinkedAt;
            }
            if (links.Count < PageSize)
            {
                return new RepositoryUsageFigures(size, last, false);
            }
            after = links[^1].Digest.Value;
        }
        return new RepositoryUsageFigures(size, last, true);
    }
}
