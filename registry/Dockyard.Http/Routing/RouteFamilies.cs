namespace Dockyard.Http.Routing;

/// <summary>
/// The coarse groups requests are counted and logged by (a metric label must have few values): one per V2 resource,
/// one per other API. Derived once per route from its name, so a new route joins its API's family without a change here.
/// </summary>
public static class RouteFamilies
{
    /// <summary>A request that matched no route.</summary>
    public const string None = "none";

    public const string Upload = "v2-upload";

    /// <summary>The family of the route named <paramref name="routeName"/> (v2-manifest, v2-blob, v2-upload, v1, appc, p2p, uam, token, signatures, volumes, health, metrics…).</summary>
    public static string Of(string routeName) => routeName switch
    {
        "uam.auth" => "token",
        "extensions.signatures" => "signatures",
        "extensions.volumes.lease" => "volumes",
        _ when routeName.StartsWith("v2.upload", StringComparison.Ordinal) => Upload,
        _ when routeName.StartsWith("v2.", StringComparison.Ordinal) => "v2-" + routeName[3..],
        _ => routeName.Split('.')[0],
    };
}
