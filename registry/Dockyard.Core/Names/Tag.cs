using System.Text.RegularExpressions;

namespace Dockyard.Core.Names;

/// <summary>The tag grammar of the distribution-spec: up to 128 characters, not starting with '.' or '-'.</summary>
public static partial class Tag
{
    public static bool IsValid(string? text) => text is not null && Grammar().IsMatch(text);

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
