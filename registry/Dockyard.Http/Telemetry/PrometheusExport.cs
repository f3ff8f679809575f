using System.Diagnostics.Metrics;
using Dockyard.Core.Telemetry;
using Prometheus;

namespace Dockyard.Http.Telemetry;

/// <summary>
/// Connects Core's <see cref="RegistryMeter"/> to prometheus-net's default registry through its meter adapter, once per
/// process, with the runtime's event counters and process metrics beside it. Only the Dockyard meter is adapted
/// (ASP.NET Core's own meters would cost every request a second round of label handling); histograms take the buckets
/// their instrument advises; series expire only after a day without use.
/// </summary>
internal static class PrometheusExport
{
    private static readonly Lazy<Started> Registry = new(Start);

    /// <summary>The registry <c>/metrics</c> serves, listening from the first call on.</summary>
    public static CollectorRegistry Listening => Registry.Value.Registry;

    /// <summary>
    /// Completes when the runtime's counters and the process metrics are registered too (see <see cref="Start"/>), with
    /// null, or with the exception that kept them from starting: the registry's own metrics are served either way.
    /// </summary>
    public static Task<Exception?> Complete => Registry.Value.Rest;

    private sealed record Started(CollectorRegistry Registry, Task<Exception?> Rest);

    private static Started Start()
    {
        // The adapters the registry would start at its first collection are started here instead, each on purpose.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
        // Now, on the caller's thread: every request from the first on is counted.
        MeterAdapter.StartListening(new MeterAdapterOptions
        {
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == RegistryMeter.Name,
            // The longest the adapter allows: a series idle for a day is dropped and starts again from 0 when next used,
            // which rate() and increase() read as a counter reset.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = instrument =>
                instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } buckets } ? [.. buckets] : MeterAdapterOptions.DefaultHistogramBuckets,
        });
        // In the background: the event listener and the process metrics cost about a third of a cold start, and what they
        // report (GC, thread pool, CPU, memory) loses nothing by starting a moment later. Only the runtime's own counters:
        // the adapter's default enables every event source at Informational, which makes Kestrel and hosting write events
        // for every request.
        var rest = Task.Run(async () =>
        {
            try
            {
                EventCounterAdapter.StartListening(new EventCounterAdapterOptions { EventSourceFilterPredicate = source => source == "System.Runtime" });
                await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null);
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        return new Started(Metrics.DefaultRegistry, rest);
    }
}
