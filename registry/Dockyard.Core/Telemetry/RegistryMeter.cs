using System.Diagnostics.Metrics;

namespace Dockyard.Core.Telemetry;

/// <summary>
/// The registry's instruments, on the framework's <see cref="Meter"/> so that Core needs no metrics package; the
/// hosts export them (Prometheus at /metrics). Instrument names follow Prometheus conventions once exported.
/// </summary>
public static class RegistryMeter
{
    public const string Name = "Dockyard";

    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> GcRuns = Meter.CreateCounter<long>("dockyard_gc_runs", description: "Garbage collection runs, by result (completed, failed, skipped).");
    private static readonly Counter<long> GcBytesFreed = Meter.CreateCounter<long>("dockyard_gc_freed_bytes", "By", "Bytes of blobs garbage collection deleted.");
    private static readonly Counter<long> GcBlobsDeleted = Meter.CreateCounter<long>("dockyard_gc_deleted_blobs", description: "Blobs garbage collection deleted.");
    private static readonly Counter<long> GcManifestsDeleted = Meter.CreateCounter<long>("dockyard_gc_deleted_manifests", description: "Manifests garbage collection or retention deleted.");
    private static readonly Histogram<double> GcDuration = Meter.CreateHistogram<double>("dockyard_gc_duration", "s", "Duration of garbage collection runs.");

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
}
