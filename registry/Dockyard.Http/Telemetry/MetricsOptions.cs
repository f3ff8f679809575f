namespace Dockyard.Http.Telemetry;

/// <summary>What <c>/metrics</c> serves; bound by the host from <c>[metrics]</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>False: <c>/metrics</c> answers 404 and nothing is exported (requests are still logged).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A bearer token scrapers must send (<c>Authorization: Bearer …</c>); null leaves <c>/metrics</c> open.</summary>
    public string? Token { get; init; }
}
