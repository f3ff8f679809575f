using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Appc;

/// <summary>
/// The appc/rkt routes of the original Dockyard (fetch, acpush, pubkeys, discovery under <c>/appc</c>). The root
/// discovery route <c>/&lt;name&gt;?ac-discovery=1</c> is <see cref="RootDiscovery"/>, placed last in the table.
/// </summary>
public static class AppcRoutes
{
    private static readonly (string, string) AcDiscovery = ("ac-discovery", "1");

    public static IEnumerable<RouteDefinition> Create(DiscoveryHandler discovery, FetchHandler fetch, PushHandler push, PubkeysHandler pubkeys)
    {
        const AccessRequirement Anyone = AccessRequirement.Anonymous;
        const AccessRequirement Pull = AccessRequirement.Pull;
        const AccessRequirement Push = AccessRequirement.Push;
        string get = HttpMethods.Get, post = HttpMethods.Post, put = HttpMethods.Put;

        yield return new("appc.pubkeys.all", "/pubkeys", RouteMethods.Of((get, Anyone, pubkeys.GetRegistryWideAsync)));
        yield return new("appc.discovery", "/appc/{name}", RouteMethods.Of((get, Anyone, discovery.GetPrefixedAsync)), requiredQuery: AcDiscovery);
        yield return new("appc.fetch", "/appc/{name}/fetch/{file}", RouteMethods.Of((get, Pull, fetch.GetAsync)));
        yield return new("appc.pubkeys", "/appc/{name}/pubkeys", RouteMethods.Of((get, Pull, pubkeys.GetAsync), (post, Push, pubkeys.AddAsync)));
        yield return new("appc.push.manifest", "/appc/{name}/push/{version}/manifest/{aci}", RouteMethods.Of((put, Push, push.PutManifestAsync)));
        yield return new("appc.push.asc", "/appc/{name}/push/{version}/asc/{aci}", RouteMethods.Of((put, Push, push.PutSignatureAsync)));
        yield return new("appc.push.aci", "/appc/{name}/push/{version}/aci/{aci}", RouteMethods.Of((put, Push, push.PutAciAsync)));
        yield return new("appc.push.complete", "/appc/{name}/push/{version}/complete/{aci}", RouteMethods.Of((post, Push, push.CompleteAsync)));
        yield return new("appc.push", "/appc/{name}/push/{aci}", RouteMethods.Of((post, Push, push.StartAsync)));
    }

    /// <summary>appc meta discovery at the root; matches only with <c>?ac-discovery=1</c>, and comes after every other route.</summary>
    public static RouteDefinition RootDiscovery(DiscoveryHandler discovery) =>
        new("appc.discovery.root", "/{name}", RouteMethods.Of((HttpMethods.Get, AccessRequirement.Anonymous, discovery.GetAsync)), requiredQuery: AcDiscovery);
}
