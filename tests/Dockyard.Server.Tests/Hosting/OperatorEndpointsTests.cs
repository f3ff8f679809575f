using System.Net;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>The real <c>dockyard web</c> executable: health, readiness and metrics answer, and JSON logs are JSON.</summary>
public sealed class OperatorEndpointsTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("dockyard-ops-").FullName;

    [Fact]
    public async Task Dockyard_web_answers_healthz_readyz_and_metrics_and_logs_requests_as_json_lines()
    {
        var logFile = Path.Combine(data, "log", "dockyard.log");
        await using var dockyard = await DockyardProcess.StartAsync(data, new Dictionary<string, string>
        {
            ["DOCKYARD_LOG__FORMAT"] = "json",
            ["DOCKYARD_LOG__FILEPATH"] = logFile,
        });
        Assert.Equal(HttpStatusCode.OK, (await dockyard.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dockyard.Client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dockyard.Client.GetAsync("/v2/_catalog")).StatusCode);
        var metrics = await dockyard.Client.GetStringAsync("/metrics");
        Assert.Contains("dockyard_http_requests_total{code=\"200\",method=\"GET\",route=\"health\"}", metrics);
        // The /v2/ StartAsync waited for was the first request the process answered: counted, though the exporter starts
        // in the background.
        Assert.Contains("dockyard_http_requests_total{code=\"200\",method=\"GET\",route=\"v2-base\"}", metrics);
        Assert.Contains("dockyard_http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",route=\"v2-catalog\"", metrics);

        // The catalog's request line, on the console and in [log] filepath, each a JSON object with the fields as properties.
        foreach (var lines in new Func<IEnumerable<string>>[] { () => dockyard.Output, () => File.Exists(logFile) ? File.ReadAllLines(logFile) : [] })
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            JsonElement? catalog = null;
            while (catalog is null && DateTime.UtcNow < deadline)
            {
                var parsed = lines().Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
                catalog = parsed.Cast<JsonElement?>().FirstOrDefault(e => e!.Value.TryGetProperty("State", out var s)
                    && s.TryGetProperty("Route", out var r) && r.GetString() == "v2-catalog");
                await Task.Delay(100);
            }
            Assert.True(catalog is not null, "no JSON request line for GET /v2/_catalog");
            var state = catalog.Value.GetProperty("State");
            Assert.Equal("GET", state.GetProperty("Method").GetString());
            Assert.Equal("anonymous", state.GetProperty("User").GetString());
            Assert.Equal(200, state.GetProperty("Status").GetInt32());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
