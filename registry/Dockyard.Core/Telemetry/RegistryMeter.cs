using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dockyard.Core.Telemetry;

/// <summary>
/// The registry's instruments, on the framework's <see cref="Meter"/> so that Core needs no metrics package; the
/// hosts export them (Prometheus at /metrics, where each name gets the meter's <c>dockyard_</c> prefix). Names follow
/// Prometheus conventions (<c>_total</c> for counts, the unit last). Recording is cheap and allocation-free here: tags
/// are passed as a <see cref="TagList"/> of strings the callers keep (route families, methods, cached status codes).
/// </summary>
public static class RegistryMeter
{
    public const string Name = "Dockyard";

    public static readonly Meter Meter = new(Name);

    /// <summary>Request latency buckets, 0.5 ms (a cached manifest) to 30 s (a large blob), in seconds.</summary>
    public static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Garbage collection run buckets, 0.1 s to 1 hour, in seconds.</summary>
    public static readonly double[] GcBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600];

    private static readonly Counter<long> GcRuns = Meter.CreateCounter<long>("gc_runs_total", description: "Garbage collection runs, by result (completed, failed, skipped).");
    private static readonly Counter<long> GcBytesFreed = Meter.CreateCounter<long>("gc_freed_bytes_total", "By", "Bytes of blobs garbage collection deleted.");
    private static readonly Counter<long> GcBlobsDeleted = Meter.CreateCounter<long>("gc_deleted_blobs_total", description: "Blobs garbage collection deleted.");
    private static readonly Counter<long> GcManifestsDeleted = Meter.CreateCounter<long>("gc_deleted_manifests_total", description: "Manifests garbage collection or retention deleted.");
    private static readonly Histogram<double> GcDuration = Meter.CreateHistogram("gc_duration_seconds", "s", "Duration of garbage collection runs.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GcBuckets });

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("http_requests_total", description: "HTTP requests answered, by route family, method and status code.");
    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram("http_request_duration_seconds", "s",
        "Time from dispatch to the end of the handler, by route family, method and status code.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    private static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("http_received_bytes_total", "By", "Request body bytes read, by route family.");
    private static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("http_sent_bytes_total", "By", "Response body bytes declared by Content-Length, by route family.");
    private static readonly UpDownCounter<long> UploadsInFlight = Meter.CreateUpDownCounter<long>("uploads_in_flight", description: "Upload requests (blob PATCH/PUT/POST bodies) being received now.");
    private static readonly Counter<long> StorageErrors = Meter.CreateCounter<long>("storage_errors_total", description: "Requests answered 503 because a storage backend was unavailable, by backend.");
    private static readonly Counter<long> LoginFailures = Meter.CreateCounter<long>("login_failures_total", description: "Password checks that failed (wrong user name or password).");
    private static readonly Counter<long> LoginThrottles = Meter.CreateCounter<long>("login_throttled_total", description: "Logins refused without a password check: too many failures, or no check slot free.");

    // "200", "404"…: tag values must not be formatted per request.
    private static readonly string[] StatusCodes = [.. Enumerable.Range(0, 600).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Records one garbage collection run; <paramref name="result"/> is completed, failed or skipped (another node held the lease).</summary>
    public static void GcRun(string result, TimeSpan duration, long bytesFreed, long blobsDeleted, long manifestsDeleted)
    {
        var tag = new KeyValuePair<string, object?>("result", result);
        GcRuns.Add(1, tag);
        GcDuration.Record(duration.TotalSeconds, tag);
        GcBytesFreed.Add(bytesFreed);
        GcBlobsDeleted.Add(blobsDeleted);
        GcManifestsDeleted.Add(manifestsDeleted);
    }

    /// <summary>Records one answered request. <paramref name="route"/> is a route family (v2-manifest, v1, health…); <paramref name="method"/> the HTTP method.</summary>
    public static void RequestCompleted(string route, string method, int status, double seconds, long bytesIn, long bytesOut)
    {
        if (!Requests.Enabled && !RequestDuration.Enabled)
        {
            return;
        }
        var tags = new TagList
        {
            { "route", route },
            { "method", method },
            { "code", (uint)status < (uint)StatusCodes.Length ? StatusCodes[status] : "other" },
        };
        Requests.Add(1, tags);
        RequestDuration.Record(seconds, tags);
        if (bytesIn > 0)
        {
            BytesReceived.Add(bytesIn, new KeyValuePair<string, object?>("route", route));
        }
        if (bytesOut > 0)
        {
            BytesSent.Add(bytesOut, new KeyValuePair<string, object?>("route", route));
        }
    }

    /// <summary>An upload request began receiving its body; pair with <see cref="UploadEnded"/>.</summary>
    public static void UploadStarted() => UploadsInFlight.Add(1);

    public static void UploadEnded() => UploadsInFlight.Add(-1);

    /// <summary>A request failed because a storage backend was unavailable; <paramref name="backend"/> names it (filesystem, sqlite, azureblob…).</summary>
    public static void StorageError(string backend) => StorageErrors.Add(1, new KeyValuePair<string, object?>("backend", backend));

    /// <summary>A password check failed.</summary>
    public static void LoginFailed() => LoginFailures.Add(1);

    /// <summary>A login was refused without checking the password (throttled).</summary>
    public static void LoginThrottled() => LoginThrottles.Add(1);
}
