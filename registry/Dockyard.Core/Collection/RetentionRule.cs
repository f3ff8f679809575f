using System.Text.RegularExpressions;

namespace Dockyard.Core.Collection;

/// <summary>
/// Which tags of the repositories matching <see cref="Repositories"/> to keep: the newest <see cref="KeepNewest"/>
/// (by push time of the manifest they point at) and every tag matching <see cref="KeepTags"/>; the rest are deleted.
/// Untagged manifests older than <see cref="UntaggedAge"/> are deleted too. Null members keep everything they govern.
/// </summary>
public sealed class RetentionRule
{
    /// <summary>The rule's name (its runtime.conf section), for reports.</summary>
    public required string Name { get; init; }

    /// <summary>A glob over repository names: <c>*</c> matches within one path component, <c>**</c> across components.</summary>
    public required string Repositories { get; init; }

    /// <summary>How many of the newest tags to keep; null: no count limit (only <see cref="KeepTags"/> matters when set).</summary>
    public int? KeepNewest { get; init; }

    /// <summary>Tags matching this (anchored) expression are always kept; null: none are kept by name.</summary>
    public Regex? KeepTags { get; init; }

    /// <summary>Untagged manifests older than this are deleted in matching repositories; null: as <see cref="CollectionOptions.DeleteUntagged"/> says.</summary>
    public TimeSpan? UntaggedAge { get; init; }

    /// <summary>Whether the rule limits tags at all (a rule with only <see cref="UntaggedAge"/> keeps every tag).</summary>
    public bool LimitsTags => KeepNewest is not null || KeepTags is not null;

    public bool Matches(string repository) => (glob ??= Glob(Repositories)).IsMatch(repository);

    // Built once: a collection asks every rule about every repository.
    private Regex? glob;

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
