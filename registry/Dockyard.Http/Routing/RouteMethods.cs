namespace Dockyard.Http.Routing;

/// <summary>Builds a route's method table from (method, access, handler) triples.</summary>
public static class RouteMethods
{
    public static Dictionary<string, RouteEndpoint> Of(params (string Method, AccessRequirement Access, RouteHandler Handler)[] handlers) =>
        handlers.ToDictionary(h => h.Method, h => new RouteEndpoint(h.Handler, h.Access), StringComparer.OrdinalIgnoreCase);
}
