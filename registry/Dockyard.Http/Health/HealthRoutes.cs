using Dockyard.Http.Routing;
using Dockyard.Http.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Health;

/// <summary>The operator's routes: liveness, readiness and Prometheus metrics; anonymous (/metrics checks its own token).</summary>
public static class HealthRoutes
{
    public static IEnumerable<RouteDefinition> Create(HealthHandler health, MetricsHandler metrics)
    {
        const AccessRequirement Anyone = AccessRequirement.Anonymous;
        yield return new("health.live", "/healthz", RouteMethods.Of((HttpMethods.Get, Anyone, HealthHandler.LiveAsync)));
        yield return new("health.ready", "/readyz", RouteMethods.Of((HttpMethods.Get, Anyone, health.ReadyAsync)));
        yield return new("metrics", "/metrics", RouteMethods.Of((HttpMethods.Get, Anyone, metrics.GetAsync)));
    }
}
