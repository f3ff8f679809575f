using System.Text.RegularExpressions;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.V1;

/// <summary>V1 image ids (64 lower-case hex) and repository names (a single name means <c>library/&lt;name&gt;</c>).</summary>
public static partial class V1Names
{
    public const string LibraryNamespace = "library";

    public static bool IsImageId(string? text) => text is not null && ImageId().IsMatch(text);

    /// <exception cref="RegistryException">INVALID_FIELD (400) when the id is not 64 hex characters.</exception>
    public static string RequireImageId(string? text, string field = "image id") =>
        IsImageId(text) ? text! : throw new RegistryException(RegistryErrorCode.InvalidField,
            $"{field}: an image id is 64 lower-case hex characters", new { field, value = text });

    /// <summary>Maps a one-component name to <c>library/&lt;name&gt;</c>; other names are returned unchanged (null stays null).</summary>
    public static string? Qualify(string? name) =>
        name is null || name.Contains('/') ? name : LibraryNamespace + "/" + name;

    /// <exception cref="RegistryException">NAME_INVALID when the (qualified) name breaks the grammar.</exception>
    public static RepositoryName Repository(string? name) => RepositoryName.Parse(Qualify(name));

    [GeneratedRegex("^[0-9a-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ImageId();
}
