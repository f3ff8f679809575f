namespace Dockyard.Http.Auth;

/// <summary>
/// A Docker token scope <c>type:name:actions</c>, e.g. <c>repository:team/app:pull,push</c> or
/// <c>registry:catalog:*</c>. The name may itself contain ':' (a registry host with a port), so type is cut at the
/// first colon and actions at the last.
/// </summary>
public sealed record ResourceScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";
    public const string CatalogName = "catalog";

    /// <summary><c>registry:account:*</c>: acting as the whole account on UAM routes (changing repositories, organizations, teams).</summary>
    public const string AccountName = "account";

    /// <summary>Null when the text is not of the form type:name:actions.</summary>
    public static ResourceScope? TryParse(string text)
    {
        var first = text.IndexOf(':');
        var last = text.LastIndexOf(':');
        if (first <= 0 || last <= first + 1)
        {
            return null;
        }
        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ResourceScope(text[..first], text[(first + 1)..last], actions);
    }

    /// <summary>
    /// Every scope of the <c>scope</c> query values (each may hold several, space-separated), malformed ones left out,
    /// one per resource: the actions of a resource named twice are merged, in the order first asked.
    /// </summary>
    public static IReadOnlyList<ResourceScope> ParseAll(IEnumerable<string?> values)
    {
        var merged = new List<ResourceScope>();
        foreach (var scope in values.SelectMany(v => (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(TryParse))
        {
            if (scope is null)
            {
                continue;
            }
            var index = merged.FindIndex(s => s.Type == scope.Type && s.Name == scope.Name);
            if (index < 0)
            {
                merged.Add(scope);
            }
            else
            {
                merged[index] = merged[index] with { Actions = [.. merged[index].Actions.Union(scope.Actions, StringComparer.Ordinal)] };
            }
        }
        return merged;
    }

    /// <summary>True for <c>registry:&lt;name&gt;:*</c>, the all-or-nothing registry scopes (catalog, account).</summary>
    public bool IsRegistryWide(string name) => Type == RegistryType && Name == name && Actions.Contains("*");

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";
}
