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
    private static readonly Lazy<CollectorRegistry> Registry = new(Start);

    /// <summary>The registry <c>/metrics</c> serves, listening from the first call on.</summary>
    public static CollectorRegistry Started => Registry.Value;

    private static CollectorRegistry Start()
    {
        Metrics.ConfigureMeterAdapter(options =>
        {
            options.InstrumentFilterPredicate = instrument => instrument.Meter.Name == RegistryMeter.Name;
            // The longest the adapter allows: a series idle for a day is dropped and starts again from 0 when next used,
            // which rate() and increase() read as a counter reset.
            options.MetricsExpireAfter = TimeSpan.FromDays(1);
            options.ResolveHistogramBuckets = instrument =>
                instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } buckets } ? [.. buckets] : MeterAdapterOptions.DefaultHistogramBuckets;
        });
        // Only the runtime's own counters (GC, thread pool, exceptions): the adapter's default enables every event source
        // at Informational, which makes Kestrel and hosting write events for every request.
        Metrics.ConfigureEventCounterAdapter(options => options.EventSourceFilterPredicate = source => source == "System.Runtime");
        // The default adapters start at the registry's first collection: collect once now, or every request before the
        // first scrape would go uncounted.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        return Metrics.DefaultRegistry;
    }
}
