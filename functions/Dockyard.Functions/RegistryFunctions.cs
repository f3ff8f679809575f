using Dockyard.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Dockyard.Functions.Methods;

namespace Dockyard.Functions;

/// <summary>
/// The catch-all functions: repository names have slashes and a catch-all can only be the last segment, so each API
/// prefix is one trigger and the dispatcher picks the route from the shared route table (answering 404/405 in the
/// registry's error envelope itself). The operator's routes (/healthz, /readyz, /metrics) are literal functions at the
/// root. The Functions host tries routes in function-name order (case-insensitive) and the first match wins, whatever
/// the template's specificity, so no two functions may match the same request: the root discovery catch-all carries
/// a constraint that leaves every other function's paths alone.
/// </summary>
public sealed class RegistryFunctions(RegistryDispatcher dispatcher)
{
    /// <summary>
    /// Every root path except those of the other functions (the prefixes v1, v2, uam, appc, extensions, p2p and the literal
    /// pubkeys, healthz, readyz, metrics; case-insensitive, as the host's regex constraint is). <c>/</c> itself has no
    /// path value, which a constraint never matches: the host answers it.
    /// </summary>
    public const string DiscoveryRoute = "{*path:regex(^(?!(v1|v2|uam|appc|extensions|p2p)(/|$)|(pubkeys|healthz|readyz|metrics)/?$))}";

    /// <summary>The Docker Registry V2 / OCI distribution API (<c>/v2/</c> included: a catch-all also matches nothing).</summary>
    [Function("v2")]
    public Task<IActionResult> V2([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Post, Put, Patch, Delete, Route = "v2/{*path}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>
    /// The signature extension API skopeo uses for simple signing (<c>/extensions/v2/&lt;name&gt;/signatures/&lt;digest&gt;</c>)
    /// and volume leases (<c>/extensions/v2/&lt;name&gt;/volume/lease</c>).
    /// </summary>
    [Function("extensions")]
    public Task<IActionResult> Extensions([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Post, Put, Delete, Route = "extensions/{*path}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>Peer-to-peer distribution: piece hashes, the tracker and blob tokens (<c>/p2p/v1/…</c>, docs/p2p.md).</summary>
    [Function("p2p")]
    public Task<IActionResult> P2P([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Post, Route = "p2p/{*path}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>The Docker Registry V1 API (501 UNSUPPORTED with <c>[db] driver = azuretables</c>, except <c>/v1/_ping</c> and users).</summary>
    [Function("v1")]
    public Task<IActionResult> V1([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Post, Put, Delete, Route = "v1/{*path}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>appc/rkt: discovery, fetch, pubkeys and acpush under <c>/appc</c>.</summary>
    [Function("appc")]
    public Task<IActionResult> Appc([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Post, Put, Route = "appc/{*path}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>The registry-wide appc keys.</summary>
    [Function("pubkeys")]
    public Task<IActionResult> Pubkeys([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "pubkeys")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>
    /// appc meta discovery at the root (<c>/&lt;name&gt;?ac-discovery=1</c>). Its name sorts before v1, v2, uam… and
    /// the host takes the first match in name order, so <see cref="DiscoveryRoute"/> excludes their paths. Without the
    /// query the dispatcher answers the registry's 404.
    /// </summary>
    [Function("discovery")]
    public Task<IActionResult> Discovery([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = DiscoveryRoute)] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>Liveness: the worker answers (routePrefix is empty, so this is <c>/healthz</c> under the real host).</summary>
    [Function("healthz")]
    public Task<IActionResult> Healthz([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "healthz")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>Readiness: the metadata and blob stores answer.</summary>
    [Function("readyz")]
    public Task<IActionResult> Readyz([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "readyz")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    /// <summary>Prometheus metrics of this worker instance (each instance has its own counters).</summary>
    [Function("metrics")]
    public Task<IActionResult> Metrics([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "metrics")] HttpRequest request) =>
        dispatcher.HandleAsync(request);
}
