using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Dockyard.Core.Appc;

/// <summary>
/// An ACI file name as the discovery templates make it: <c>&lt;base&gt;-&lt;version&gt;-&lt;os&gt;-&lt;arch&gt;.aci</c>
/// (and <c>.aci.asc</c> for its signature), where base is the repository's last path component. Version, os and arch
/// are validated, so they are safe in keys and paths.
/// </summary>
public sealed partial record AciFileName(string Base, string Version, string Os, string Arch)
{
    public const string AciExtension = ".aci";
    public const string SignatureExtension = ".aci.asc";

    public string Value => $"{Base}-{Version}-{Os}-{Arch}{AciExtension}";

    /// <summary>Parses <paramref name="text"/> for the repository base name; <paramref name="signature"/> tells the <c>.asc</c> form.</summary>
    public static bool TryParse(string? text, string baseName, [NotNullWhen(true)] out AciFileName? name, out bool signature)
    {
        name = null;
        signature = text?.EndsWith(SignatureExtension, StringComparison.Ordinal) == true;
        var extension = signature ? SignatureExtension : AciExtension;
        if (text is null || !text.EndsWith(extension, StringComparison.Ordinal) || !text.StartsWith(baseName + "-", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text[(baseName.Length + 1)..^extension.Length];
        var archAt = rest.LastIndexOf('-');
        var osAt = archAt > 0 ? rest.LastIndexOf('-', archAt - 1) : -1;
        if (osAt <= 0)
        {
            return false;
        }
        var (version, os, arch) = (rest[..osAt], rest[(osAt + 1)..archAt], rest[(archAt + 1)..]);
        if (!IsVersion(version) || !Word().IsMatch(os) || !Word().IsMatch(arch))
        {
            return false;
        }
        name = new AciFileName(baseName, version, os, arch);
        return true;
    }

    /// <summary>A version label usable as a key: letters, digits and <c>. _ + ~ -</c>, at most 128 characters.</summary>
    public static bool IsVersion(string? text) => text is not null && VersionGrammar().IsMatch(text);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionGrammar();

    [GeneratedRegex(@"^[a-z0-9_]{1,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
