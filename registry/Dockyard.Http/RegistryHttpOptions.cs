namespace Dockyard.Http;

/// <summary>What the HTTP layer needs from configuration; bound by the host from <c>[dockyard]</c>.</summary>
public sealed class RegistryHttpOptions
{
    /// <summary>The <c>Docker-Distribution-API-Version</c> header value (<c>[dockyard] distribution</c>).</summary>
    public string DistributionVersion { get; set; } = "registry/2.0";

    /// <summary>The Docker Registry V1 <c>X-Docker-Registry-Version</c> header value (<c>[dockyard] registry</c>).</summary>
    public string V1Version { get; set; } = "0.9";
}
