using System.Net;
using System.Text.Json;

namespace Dockyard.Functions.Tests;

/// <summary>/healthz, /readyz and /metrics reach the worker at the root (routePrefix ""), by their own functions.</summary>
public sealed class OperatorRoutesTests
{
    [Fact]
    public async Task The_worker_on_its_default_backends_answers_healthz_readyz_and_metrics()
    {
        var data = Directory.CreateTempSubdirectory("dockyard-fn-ops-").FullName;
        try
        {
            await using var worker = await WorkerHost.StartAsync(new Dictionary<string, string?> { ["dockyard:path"] = data });
            await AnswersAsync(worker);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_worker_on_azurite_is_ready_when_blobs_and_tables_answer()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        try
        {
            await using var worker = await WorkerHost.StartAsync(settings);
            await AnswersAsync(worker);
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }

    private static async Task AnswersAsync(WorkerHost worker)
    {
        using (var live = await worker.Client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("ok\n", await live.Content.ReadAsStringAsync());
        }
        using (var ready = await worker.Client.GetAsync("/readyz"))
        {
            var body = await ready.Content.ReadAsStringAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal("ready", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        }
        using var metrics = await worker.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.MediaType);
        Assert.Contains("dockyard_http_requests_total{code=\"200\",method=\"GET\",route=\"health\"}", await metrics.Content.ReadAsStringAsync());
    }
}
