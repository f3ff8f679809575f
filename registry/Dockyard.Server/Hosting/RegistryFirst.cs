using Dockyard.Http;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Sends every request the registry's route table matches, and everything under the registry's own prefixes, to the
/// dispatcher before the web UI sees it: a page can never shadow /v2, /v1, /uam, /appc, /p2p, the token endpoint,
/// /healthz or /metrics, and registry requests skip the UI's routing, cookies and antiforgery altogether.
/// </summary>
public sealed class RegistryFirst(RequestDelegate next, RegistryDispatcher dispatcher)
{
    private static readonly PathString[] RegistryPrefixes = ["/v1", "/v2", "/uam", "/appc", "/extensions", "/p2p"];

    public Task InvokeAsync(HttpContext context) =>
        IsRegistryRequest(context.Request) ? dispatcher.DispatchAsync(context) : next(context);

    private bool IsRegistryRequest(HttpRequest request)
    {
        foreach (var prefix in RegistryPrefixes)
        {
            if (request.Path.StartsWithSegments(prefix))
            {
                return true;
            }
        }
        return dispatcher.Routes.Match(request.Path, request.Query) is not null;
    }
}
