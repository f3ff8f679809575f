namespace Dockyard.Http;

/// <summary>What the HTTP layer needs from configuration; bound by the host from <c>[dockyard]</c>.</summary>
public sealed class RegistryHttpOptions
{
    /// <summary>The <c>Docker-Distribution-API-Version</c> header value (<c>[dockyard] distribution</c>).</summary>
    public string DistributionVersion { get; set; } = "registry/2.0";
}
