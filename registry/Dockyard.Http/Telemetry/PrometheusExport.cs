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
    private static volatile bool listening;

    /// <summary>The registry <c>/metrics</c> serves; the first call starts the adapter on a pool thread and returns at once.</summary>
    public static Task<CollectorRegistry> Listening => Registry.Value.Registry;

    /// <summary>
    /// Completes when the runtime's counters are listened to too (see <see cref="Start"/>), with null, or with the
    /// exception that kept them from starting: the registry's own metrics are served either way. The process metrics
    /// are registered by the first collection, i.e. the first scrape.
    /// </summary>
    public static Task<Exception?> Complete => Registry.Value.Rest;

    /// <summary>
    /// Completes once the registry's instruments are listened to, at once when the export never started (metrics are
    /// off) or already listens. The dispatcher awaits it before each request, so the first requests of a process, which
    /// may come before the adapter is up, are counted too. Never faults.
    /// </summary>
    public static ValueTask WhenListeningAsync() => listening || !Registry.IsValueCreated ? default : new ValueTask(Registry.Value.Listened);

    private sealed record Started(Task<CollectorRegistry> Registry, Task Listened, Task<Exception?> Rest);

    private static Started Start()
    {
        // On a pool thread: loading and starting prometheus-net took about a tenth of a cold start on the path to the
        // first answer (the route table builds the metrics handler), while a request is rarely there before it is done.
        var registry = Task.Run(() =>
        {
            try
            {
                // The adapters the registry would start at its first collection are started here instead, each on purpose.
                Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
                MeterAdapter.StartListening(new MeterAdapterOptions
                {
                    InstrumentFilterPredicate = instrument => instrument.Meter.Name == RegistryMeter.Name,
                    // The longest the adapter allows: a series idle for a day is dropped and starts again from 0 when next used,
                    // which rate() and increase() read as a counter reset.
                    MetricsExpireAfter = TimeSpan.FromDays(1),
                    ResolveHistogramBuckets = instrument =>
                        instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } buckets } ? [.. buckets] : MeterAdapterOptions.DefaultHistogramBuckets,
                });
                return Metrics.DefaultRegistry;
            }
            finally
            {
                listening = true;
            }
        });
        // Then: the event listener costs about a third of a cold start, and what it reports (GC, thread pool) loses
        // nothing by starting a moment later. Only the runtime's own counters: the adapter's default enables every event
        // source at Informational, which makes Kestrel and hosting write events for every request. No collection here:
        // the first one registers the process metrics and runs the exposition's code (System.Diagnostics.Process among
        // it), which a node nobody scrapes never needs.
        var rest = Task.Run(async () =>
        {
            try
            {
                await registry;
                EventCounterAdapter.StartListening(new EventCounterAdapterOptions { EventSourceFilterPredicate = source => source == "System.Runtime" });
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        return new Started(registry, registry.ContinueWith(_ => { }, TaskScheduler.Default), rest);
    }
}
