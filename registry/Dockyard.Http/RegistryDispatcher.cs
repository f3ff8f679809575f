using System.Diagnostics;
using Dockyard.Core.Errors;
using Dockyard.Core.Telemetry;
using Dockyard.Http.Auth;
using Dockyard.Http.Errors;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Dockyard.Http.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dockyard.Http;

/// <summary>
/// The one entry point both hosts hand requests to: matches the route table, sets the protocol headers, and turns
/// every client fault into the spec's error envelope; an unreachable storage backend is a retryable 503. Only an
/// unexpected exception becomes a 500. Every request, answered or failed, is counted and logged once (<see cref="RequestTelemetry"/>).
/// </summary>
public sealed partial class RegistryDispatcher(RouteTable routes, RequestAuthorizer authorizer, RegistryHttpOptions options, RegistryAuthOptions auth,
    RequestTelemetry telemetry, ILogger<RegistryDispatcher> logger)
{
    public RouteTable Routes => routes;

    public async Task DispatchAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // The metrics adapter starts on a pool thread while the host starts; a request that comes first waits for it.
        await PrometheusExport.WhenListeningAsync();
        context.Response.Headers["Docker-Distribution-API-Version"] = options.DistributionVersion;
        if (context.Request.Path.StartsWithSegments("/v2") || context.Request.Path.StartsWithSegments("/extensions"))
        {
            // containers/image reads it from the GET /v2/ ping (200 or 401) and then stores simple signatures with us.
            context.Response.Headers[V2.SignatureExtensionHandler.SupportsSignaturesHeader] = "1";
        }
        if (context.Request.Path.StartsWithSegments("/v1"))
        {
            context.Response.Headers["X-Docker-Registry-Version"] = options.V1Version;
            context.Response.Headers["X-Docker-Registry-Standalone"] = auth.Enforced ? "false" : "true";
        }
        var matched = routes.Match(context.Request.Path, context.Request.Query);
        var scope = telemetry.Begin(context, started, matched?.Route, matched?.Values);
        var failed = true;
        try
        {
            await DispatchMatchedAsync(context, matched);
            failed = false;
        }
        finally
        {
            telemetry.End(context, scope, failed);
        }
    }

    private async Task DispatchMatchedAsync(HttpContext context, (RouteDefinition Route, RouteValues Values)? matched)
    {
        try
        {
            if (matched is not { } m)
            {
                await ErrorEnvelope.WriteAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", "no such route", new { path = context.Request.Path.Value });
                return;
            }
            if (!m.Route.Methods.TryGetValue(context.Request.Method, out var endpoint))
            {
                context.Response.Headers.Allow = string.Join(", ", m.Route.Methods.Keys);
                await ErrorEnvelope.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED",
                    "the operation is unsupported", new { method = context.Request.Method });
                return;
            }
            if (await authorizer.AuthorizeAsync(context, endpoint, m.Values))
            {
                await endpoint.Handler(context, m.Values);
            }
        }
        catch (RegistryException e) when (!context.Response.HasStarted)
        {
            LogClientError(logger, context.Request.Method, context.Request.Path, ErrorEnvelope.CodeOf(e.Code), e.Message);
            await DrainAsync(context);
            await ErrorEnvelope.WriteAsync(context, e);
        }
        catch (StorageUnavailableException e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // Transient: nothing became visible, the same request may be retried (docker and skopeo retry 5xx).
            RegistryMeter.StorageError(e.Backend);
            LogUnavailable(logger, context.Request.Method, context.Request.Path, e.Message);
            await DrainAsync(context);
            await ErrorEnvelope.WriteUnavailableAsync(context, "storage is temporarily unavailable; retry");
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            LogClientError(logger, context.Request.Method, context.Request.Path, "BAD_REQUEST", e.Message);
            await ErrorEnvelope.WriteAsync(context, e.StatusCode, "BLOB_UPLOAD_INVALID", e.Message);
        }
        catch (IOException e) when (!context.Response.HasStarted && BodyFraming.IsChunkSizeOverflow(context.Request, e))
        {
            LogClientError(logger, context.Request.Method, context.Request.Path, "BAD_REQUEST", e.Message);
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status400BadRequest, "BLOB_UPLOAD_INVALID", e.Message);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            LogAborted(logger, context.Request.Method, context.Request.Path);
        }
    }

    // A client that sent a body we refused should still read our answer instead of a connection reset.
    private static async Task DrainAsync(HttpContext context)
    {
        if (context.Request.ContentLength is > 0 and <= 1 << 20)
        {
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} failed, storage unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string reason);

    // Debug: the request line (RequestTelemetry) already says the status; one line per request at Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} refused: {Code} {Reason}")]
    private static partial void LogClientError(ILogger logger, string method, PathString path, string code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} aborted by the client")]
    private static partial void LogAborted(ILogger logger, string method, PathString path);
}
