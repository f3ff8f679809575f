using System.Security.Cryptography;
using System.Text;
using Dockyard.Http.Errors;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Dockyard.Http.Telemetry;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text exposition, written by prometheus-net. With <see cref="MetricsOptions.Token"/>
/// set, only a caller sending it as a bearer token gets it (compared in constant time); without, it is open. Disabled: 404.
/// </summary>
public sealed partial class MetricsHandler
{
    /// <summary>The Prometheus text exposition format (0.0.4), the one prometheus-net writes.</summary>
    public const string TextFormat = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MetricsOptions options;
    private readonly byte[]? tokenHash;
    private readonly Task<CollectorRegistry>? registry;
    private readonly ILogger<MetricsHandler> logger;
    private int backgroundFailureLogged;

    public MetricsHandler(MetricsOptions options, ILogger<MetricsHandler> logger)
    {
        this.options = options;
        this.logger = logger;
        tokenHash = string.IsNullOrEmpty(options.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        registry = options.Enabled ? PrometheusExport.Listening : null;
    }

    public async Task GetAsync(HttpContext context, RouteValues _)
    {
        if (registry is null)
        {
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", "metrics are disabled ([metrics] enabled = false)");
            return;
        }
        if (tokenHash is not null && !Authorized(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"dockyard-metrics\"";
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "a bearer token is required for /metrics");
            return;
        }
        // Without the runtime's counters the registry's own series are still worth serving; the failure is logged once.
        if (await PrometheusExport.Complete.WaitAsync(context.RequestAborted) is { } failure && Interlocked.Exchange(ref backgroundFailureLogged, 1) == 0)
        {
            RuntimeCountersFailed(logger, failure);
        }
        var collector = await registry.WaitAsync(context.RequestAborted);
        context.Response.ContentType = TextFormat;
        context.Response.Headers.CacheControl = "no-store";
        await collector.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Hashes are of equal length whatever was sent, so the comparison's time tells nothing about the token.
        var sent = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(Scheme.Length).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(sent, tokenHash);
    }

    [LoggerMessage(EventId = 1, EventName = "RuntimeCountersFailed", Level = LogLevel.Warning,
        Message = "the runtime's event counters and process metrics could not start; /metrics serves the registry's own series only")]
    private static partial void RuntimeCountersFailed(ILogger logger, Exception exception);
}
