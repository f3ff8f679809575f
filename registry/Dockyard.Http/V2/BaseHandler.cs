using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary><c>GET /v2/</c>: the API version check clients start with.</summary>
public static class BaseHandler
{
    public static Task GetAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 2;
        return context.Response.WriteAsync("{}");
    }
}
