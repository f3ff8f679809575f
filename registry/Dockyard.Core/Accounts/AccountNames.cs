using System.Text.RegularExpressions;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Names of users, organizations and teams. User and organization names become the first component of repository
/// names, so they follow that grammar; names that would shadow API paths are reserved. "admin" shadows none (no route
/// has it as a fixed segment) and is the name the README's bootstrap, <c>dockyard user add admin --admin</c>, creates.
/// </summary>
public static partial class AccountNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "uam", "v1", "v2", "appc", "auth", "user", "users", "organization", "team", "repository", "pubkeys", "library",
    };

    /// <exception cref="RegistryException">INVALID_FIELD naming <paramref name="field"/>.</exception>
    public static string RequireNamespace(string? value, string field)
    {
        var name = Require(value, field);
        if (name.Length is < 2 or > 64 || !NamespaceGrammar().IsMatch(name))
        {
            throw Invalid(field, name, "lower-case letters and digits, optionally separated by '.', '_' or '-', 2 to 64 characters");
        }
        if (Reserved.Contains(name))
        {
            throw Invalid(field, name, "is reserved");
        }
        return name;
    }

    /// <exception cref="RegistryException">INVALID_FIELD naming <paramref name="field"/>.</exception>
    public static string RequireTeam(string? value, string field)
    {
        var name = Require(value, field);
        if (name.Length > 64 || !TeamGrammar().IsMatch(name))
        {
            throw Invalid(field, name, "letters, digits, '.', '_' or '-', up to 64 characters");
        }
        return name;
    }

    public static string Require(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(field, value, "is required") : value;

    public static RegistryException Invalid(string field, string? value, string rule) =>
        new(RegistryErrorCode.InvalidField, $"{field}: {rule}", new { field, value });

    [GeneratedRegex(@"^[a-z0-9]+(?:[._-][a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceGrammar();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex TeamGrammar();
}
