using System.Diagnostics;
using Dockyard.Core.Telemetry;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Dockyard.Http.Telemetry;

/// <summary>
/// What the dispatcher records per request: the counters and latency histogram of <see cref="RegistryMeter"/> and one log
/// line (method, route family, repository, status, bytes in and out, duration, user). The line holds no header, query
/// string or path, so no credential or upload state can reach the log. Cheap on the hot path: tag values are strings the
/// routes already hold, the line's arguments are computed only when the level is enabled, and only requests with a body
/// get a counting stream. Probes and scrapes (health, metrics) log at Debug so they do not flood the log.
/// </summary>
public sealed partial class RequestTelemetry(ILogger<RequestTelemetry> logger)
{
    /// <summary>
    /// Begins a matched (or unmatched: null) request that started at <paramref name="started"/> (a <see cref="Stopwatch"/>
    /// timestamp): counts its body and, for uploads, the uploads in flight. Pass the scope to <see cref="End"/> once answered.
    /// </summary>
    internal RequestScope Begin(HttpContext context, long started, RouteDefinition? route, RouteValues? values)
    {
        CountingReadStream? body = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            body = new CountingReadStream(context.Request.Body);
            context.Request.Body = body;
        }
        var upload = route is not null && IsUpload(route, context.Request.Method);
        if (upload)
        {
            RegistryMeter.UploadStarted();
        }
        return new RequestScope(route, values, body, upload, started);
    }

    /// <summary>Records the answered request: metrics and the log line.</summary>
    /// <param name="failed">True when an exception escapes the dispatcher.</param>
    internal void End(HttpContext context, in RequestScope scope, bool failed)
    {
        var response = context.Response;
        // An exception that escapes the dispatcher becomes Kestrel's 500 (or a reset, once the response has started).
        var status = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        var method = context.Request.Method;
        var family = scope.Route?.Family ?? RouteFamilies.None;
        var bytesIn = scope.Body?.BytesRead ?? 0;
        var bytesOut = HttpMethods.IsHead(method) || status == StatusCodes.Status304NotModified ? 0 : response.ContentLength ?? 0;
        var elapsed = Stopwatch.GetElapsedTime(scope.Started);
        if (scope.Upload)
        {
            RegistryMeter.UploadEnded();
        }
        RegistryMeter.RequestCompleted(family, method, status, elapsed.TotalSeconds, bytesIn, bytesOut);
        var level = family is "health" or "metrics" ? LogLevel.Debug : LogLevel.Information;
        if (logger.IsEnabled(level))
        {
            var repository = scope.Values?["name"] ?? "-";
            var user = AccessContext.Of(context).Principal.UserName ?? "anonymous";
            LogRequest(logger, level, method, family, repository, status, bytesIn, bytesOut, elapsed.TotalMilliseconds, user);
        }
    }

    private static bool IsUpload(RouteDefinition route, string method) =>
        route.Family == RouteFamilies.Upload ? !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsDelete(method)
        : route.Name is "v1.image.layer" or "appc.push.aci" && HttpMethods.IsPut(method);

    [LoggerMessage(EventId = 1, EventName = "Request",
        Message = "{Method} {Route} {Repository} {Status} in={BytesIn} out={BytesOut} {DurationMs:0.###}ms user={User}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, string repository, int status,
        long bytesIn, long bytesOut, double durationMs, string user);
}

/// <summary>One request in progress, from <see cref="RequestTelemetry.Begin"/> to <see cref="RequestTelemetry.End"/>.</summary>
internal readonly record struct RequestScope(RouteDefinition? Route, RouteValues? Values, CountingReadStream? Body, bool Upload, long Started);
