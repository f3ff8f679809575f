using System.Net;
using Dockyard.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dockyard.Web.Access;

/// <summary>
/// What the API's dispatcher does for its routes, for the pages: a storage backend that is down for now is a 503 with
/// Retry-After (the same page may be asked again), a client fault the domain raised is a 400 naming it; neither is a 500.
/// A body past <see cref="FormLimits"/> is the status Kestrel gives it (413), a form with too many or too long fields a 400.
/// </summary>
internal sealed partial class PageFaults(RequestDelegate next, ILogger<PageFaults> logger)
{
    private const string RetryAfterSeconds = "5";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (StorageUnavailableException e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogUnavailable(logger, context.Request.Path, e.Message);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable",
                "The registry's storage cannot be reached just now. Try again in a few seconds.");
        }
        catch (RegistryException e) when (!context.Response.HasStarted)
        {
            LogRefused(logger, context.Request.Path, e.Message);
            context.Response.Clear();
            await WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", e.Message);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogRefused(logger, context.Request.Path, e.Message);
            context.Response.Clear();
            await WriteAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request", e.Message);
        }
        catch (InvalidDataException e) when (!context.Response.HasStarted)
        {
            LogRefused(logger, context.Request.Path, e.Message);
            context.Response.Clear();
            await WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", e.Message);
        }
    }

    // Written without Razor: the fault may come from the view machinery itself.
    private static Task WriteAsync(HttpContext context, int status, string title, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Dockyard</title><link rel="stylesheet" href="{Assets.Stylesheet.Url}"></head>
            <body><main id="main"><h1>{title}</h1><p>{WebUtility.HtmlEncode(message)}</p><p><a href="/">Back to the namespaces</a></p></main></body></html>
            """, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "page {Path} failed, storage unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "page {Path} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, PathString path, string reason);
}
