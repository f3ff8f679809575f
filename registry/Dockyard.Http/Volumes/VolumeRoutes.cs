using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Volumes;

/// <summary>
/// The volume lease of a repository (docs/volumes.md): POST takes it, PUT renews it, DELETE releases it, GET shows
/// who holds it. Every method needs push access: a lease exists to commit versions.
/// </summary>
public static class VolumeRoutes
{
    public static IEnumerable<RouteDefinition> Create(VolumeLeaseHandler leases)
    {
        const AccessRequirement Push = AccessRequirement.Push;
        yield return new("extensions.volumes.lease", "/extensions/v2/{name}/volume/lease", RouteMethods.Of(
            (HttpMethods.Get, Push, leases.GetAsync), (HttpMethods.Post, Push, leases.AcquireAsync),
            (HttpMethods.Put, Push, leases.RenewAsync), (HttpMethods.Delete, Push, leases.ReleaseAsync)));
    }
}
