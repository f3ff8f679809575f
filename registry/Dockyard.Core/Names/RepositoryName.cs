using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Names;

/// <summary>
/// A repository name as the distribution-spec defines it: lower-case path components joined by '/',
/// any depth. Only validated names reach paths and keys, so a value of this type is safe to use in both.
/// </summary>
public sealed partial record RepositoryName
{
    /// <summary>Distribution's limit, so that names fit file systems and table keys.</summary>
    public const int MaxLength = 255;

    private RepositoryName(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, [NotNullWhen(true)] out RepositoryName? name)
    {
        name = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !Grammar().IsMatch(text))
        {
            return false;
        }
        name = new RepositoryName(text);
        return true;
    }

    /// <exception cref="RegistryException">NAME_INVALID when the text breaks the grammar.</exception>
    public static RepositoryName Parse(string? text) =>
        TryParse(text, out var name)
            ? name
            : throw new RegistryException(RegistryErrorCode.NameInvalid, "invalid repository name", new { name = text });

    public override string ToString() => Value;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
