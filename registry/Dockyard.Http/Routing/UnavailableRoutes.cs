using Dockyard.Http.Errors;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Routing;

/// <summary>
/// Stands in for a protocol whose store the configured backends do not provide (Docker V1 and appc keep their
/// metadata only in SQLite today): every request under the prefix gets a clear 501 instead of a missing service.
/// </summary>
public static class UnavailableRoutes
{
    public static RouteDefinition Create(string name, string prefix, string reason)
    {
        Task Refuse(HttpContext context, RouteValues values) =>
            ErrorEnvelope.WriteAsync(context, StatusCodes.Status501NotImplemented, "UNSUPPORTED", reason);
        string[] methods = [HttpMethods.Get, HttpMethods.Put, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete];
        return new RouteDefinition(name, prefix + "/{name}",
            RouteMethods.Of(methods.Select(m => (m, AccessRequirement.Anonymous, (RouteHandler)Refuse)).ToArray()));
    }
}
