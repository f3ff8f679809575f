using System.Collections.Concurrent;
using System.Diagnostics;
using Dockyard.Core.Quotas;

namespace Dockyard.Web.Storage;

/// <summary>
/// A namespace's stored bytes against its quota for the storage pages, from <see cref="NamespaceQuota.UsageAsync"/>
/// (the quota's own count: a sum over the namespace's links and uploads, which grows with what the namespace holds).
/// A figure is kept for <see cref="Freshness"/>, so reloading a page of namespaces costs no sums; the pages say how old
/// a figure may be. At most <see cref="MaxEntries"/> namespaces are remembered (the cache is emptied past that).
/// </summary>
public sealed class NamespaceStorage(NamespaceQuota quota)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    public const int MaxEntries = 10_000;

    // When each figure was read, as a Stopwatch timestamp: monotonic, so a clock change cannot keep a figure forever.
    private readonly ConcurrentDictionary<string, (NamespaceUsage Usage, long ReadAt)> cache = new(StringComparer.Ordinal);

    public async Task<NamespaceUsage> UsageAsync(string @namespace, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(@namespace, out var kept) && Stopwatch.GetElapsedTime(kept.ReadAt) < Freshness)
        {
            return kept.Usage;
        }
        var readAt = Stopwatch.GetTimestamp();
        var usage = await quota.UsageAsync(@namespace, cancellationToken);
        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }
        cache[@namespace] = (usage, readAt);
        return usage;
    }

    /// <summary>The share of the quota used, 0–100 (more when over it); null without a quota.</summary>
    public static int? Percent(NamespaceUsage usage) =>
        usage.Limit is { } limit && limit > 0 ? (int)Math.Min(int.MaxValue, usage.Used * 100 / limit) : null;
}
