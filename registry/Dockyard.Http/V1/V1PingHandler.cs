using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary><c>GET /v1/_ping</c>: <c>true</c>, with the version and standalone headers the dispatcher sets on every V1 answer.</summary>
public static class V1PingHandler
{
    public static Task GetAsync(HttpContext context, RouteValues values) => V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
}
