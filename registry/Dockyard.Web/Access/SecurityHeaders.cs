using Microsoft.AspNetCore.Http;

namespace Dockyard.Web.Access;

/// <summary>
/// Headers on every UI response. The pages carry no script at all, so the content security policy forbids every script:
/// even if an image's annotation slipped past escaping, nothing would run. Framing is refused (no clickjacking of the
/// delete buttons) and forms may post only back to this origin. Set as the response starts, so an error page written
/// after a cleared response carries them too.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
