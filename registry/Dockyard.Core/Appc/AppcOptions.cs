namespace Dockyard.Core.Appc;

/// <summary>What the appc/rkt support needs from configuration; bound by the host from <c>[dockyard]</c>.</summary>
public sealed class AppcOptions
{
    /// <summary>
    /// The registry's public host names (<c>[dockyard] domains</c>). ACI names are <c>&lt;domain&gt;/&lt;repository&gt;</c>
    /// for one of them; empty means the request's Host is used in discovery and any domain is accepted in names.
    /// </summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>
    /// The folder of configured trusted keys (armored <c>*.asc</c>): its top level is trusted for every repository,
    /// <c>&lt;ns&gt;/</c> for the namespace, <c>&lt;ns&gt;/&lt;repo&gt;/</c> for one repository; null for none.
    /// </summary>
    public string? KeysPath { get; init; }

    /// <summary>The folder searched for a user-edited <c>ac-discovery.html</c>; null or missing uses the built-in template.</summary>
    public string? ViewsPath { get; init; }
}
