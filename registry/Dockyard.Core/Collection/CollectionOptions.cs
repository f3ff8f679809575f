namespace Dockyard.Core.Collection;

/// <summary>Garbage collection's rules (runtime.conf's <c>[gc]</c> and <c>[retention.*]</c>).</summary>
public sealed class CollectionOptions
{
    /// <summary>The default grace period: an hour, as zot's gcDelay.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromHours(1);

    /// <summary>
    /// The grace period: nothing linked, published, stored or touched more recently than this is collected, so a push
    /// in flight never loses a blob it uploaded but has not referenced yet. Every node must use the same value.
    /// </summary>
    public TimeSpan Delay { get; init; } = DefaultDelay;

    /// <summary>Whether manifests no tag reaches (directly, through an index, or as a referrer of a reached subject) are deleted once older than <see cref="Delay"/>.</summary>
    public bool DeleteUntagged { get; init; }

    /// <summary>Retention rules, applied in order; a repository takes the first rule whose pattern matches it; empty: keep every tag.</summary>
    public IReadOnlyList<RetentionRule> Retention { get; init; } = [];
}
