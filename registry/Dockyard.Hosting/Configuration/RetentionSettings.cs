using System.Text.RegularExpressions;
using Dockyard.Core.Collection;

namespace Dockyard.Hosting.Configuration;

/// <summary>
/// One <c>[retention.NAME]</c> section: which tags garbage collection keeps in the repositories matching
/// <c>repositories</c>. Rules are tried in the order of their sections; a repository takes the first that matches.
/// </summary>
public sealed class RetentionSettings
{
    public const string SectionPrefix = "retention.";

    /// <summary>The NAME of the section.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>repositories</c>: a glob (<c>*</c> within a path component, <c>**</c> across); required.</summary>
    public string? Repositories { get; set; }

    /// <summary><c>keep</c>: how many of the newest tags to keep (by push time); unset: no count limit.</summary>
    public int? Keep { get; set; }

    /// <summary><c>keeptags</c>: a regular expression; tags matching it as a whole are always kept.</summary>
    public string? KeepTags { get; set; }

    /// <summary><c>untagged</c>: seconds after which untagged manifests are deleted in these repositories; unset: as <c>[gc] untagged</c>.</summary>
    public int? Untagged { get; set; }

    /// <summary>The sections named <c>retention.*</c>, in file order.</summary>
    public static List<RetentionSettings> Bind(IConfiguration configuration) =>
        configuration.GetChildren()
            .Where(s => s.Key.StartsWith(SectionPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(s =>
            {
                var rule = s.Get<RetentionSettings>() ?? new();
                rule.Name = s.Key[SectionPrefix.Length..];
                return rule;
            })
            .ToList();

    /// <summary>What is wrong with the section, naming the key; empty when it is valid.</summary>
    public IEnumerable<string> Problems()
    {
        var section = $"[{SectionPrefix}{Name}]";
        if (string.IsNullOrWhiteSpace(Repositories))
        {
            yield return $"{section} repositories: required (a glob such as team/* or **)";
        }
        if (Keep is < 0)
        {
            yield return $"{section} keep = {Keep}: must be 0 or more";
        }
        if (Untagged is < 0)
        {
            yield return $"{section} untagged = {Untagged}: seconds must be 0 or more";
        }
        if (KeepTags is not null && !IsRegex(KeepTags))
        {
            yield return $"{section} keeptags = {KeepTags}: not a valid regular expression";
        }
        if (Keep is null && KeepTags is null && Untagged is null)
        {
            yield return $"{section}: sets none of keep, keeptags, untagged, so it would do nothing";
        }
    }

    public RetentionRule ToRule() => new()
    {
        Name = Name,
        Repositories = Repositories!,
        KeepNewest = Keep,
        KeepTags = KeepTags is null ? null : new Regex($"^(?:{KeepTags})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
        UntaggedAge = Untagged is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
    };

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
