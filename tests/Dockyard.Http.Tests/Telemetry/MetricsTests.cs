using System.Net;
using System.Net.Http.Headers;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using Dockyard.Testing;
using static Dockyard.Http.Tests.Telemetry.MetricsText;

namespace Dockyard.Http.Tests.Telemetry;

/// <summary>
/// /metrics on the real server, read as Prometheus reads it. Counters are process-wide (other tests run alongside), so
/// each test compares a scrape before with one after its own requests.
/// </summary>
public sealed class MetricsTests
{
    private const string Requests = "dockyard_http_requests_total";

    [Fact]
    public async Task A_push_and_a_pull_are_counted_by_route_family_method_and_status_with_latency_and_bytes()
    {
        await using var server = await RegistryServer.StartAsync();
        var client = server.Client;
        var before = await client.GetStringAsync("/metrics");
        Assert.StartsWith("text/plain", (await client.GetAsync("/metrics")).Content.Headers.ContentType!.MediaType);

        var config = await RegistryPush.PushDescriptorAsync(client, "metrics/app", RegistryPush.OciConfig, "{}"u8.ToArray());
        var layer = await RegistryPush.PushDescriptorAsync(client, "metrics/app", RegistryPush.OciLayer, RegistryPush.RandomBytes(3000));
        var manifest = $$"""{"schemaVersion":2,"mediaType":"{{RegistryPush.OciManifest}}","config":{{config.ToJson()}},"layers":[{{layer.ToJson()}}]}""";
        await RegistryPush.PushManifestAsync(client, "metrics/app", "v1", manifest, RegistryPush.OciManifest);
        using (var pull = await client.GetAsync("/v2/metrics/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }
        Assert.Equal(3000, (await client.GetByteArrayAsync($"/v2/metrics/app/blobs/{layer.Digest}")).Length);
        var after = await client.GetStringAsync("/metrics");

        double Delta(string name, params (string, string)[] labels) => Value(after, name, labels) - Value(before, name, labels);
        Assert.True(Delta(Requests, ("route", "v2-manifest"), ("method", "PUT"), ("code", "201")) >= 1);
        Assert.True(Delta(Requests, ("route", "v2-manifest"), ("method", "GET"), ("code", "200")) >= 1);
        Assert.True(Delta(Requests, ("route", "v2-blob"), ("method", "GET"), ("code", "200")) >= 1);
        Assert.True(Delta(Requests, ("route", "v2-upload"), ("method", "POST"), ("code", "201")) >= 2);
        Assert.True(Delta("dockyard_http_received_bytes_total", ("route", "v2-upload")) >= 3000);
        Assert.True(Delta("dockyard_http_sent_bytes_total", ("route", "v2-blob")) >= 3000);

        // The latency histogram of manifest GETs: 15 buckets from 0.5 ms to 30 s plus +Inf, and a count.
        var buckets = Samples(after, "dockyard_http_request_duration_seconds_bucket")
            .Where(s => s.Labels["route"] == "v2-manifest" && s.Labels["method"] == "GET" && s.Labels["code"] == "200")
            .Select(s => s.Labels["le"]).ToList();
        Assert.Equal(16, buckets.Count);
        Assert.Contains("+Inf", buckets);
        Assert.Contains(buckets, le => double.TryParse(le, System.Globalization.CultureInfo.InvariantCulture, out var v) && v == 0.0005);
        Assert.True(Delta("dockyard_http_request_duration_seconds_count", ("route", "v2-manifest"), ("method", "GET"), ("code", "200")) >= 1);
        Assert.Contains("dockyard_uploads_in_flight", after);
    }

    [Fact]
    public async Task A_token_in_runtime_conf_closes_metrics_to_callers_without_it()
    {
        const string Token = "metrics-token-0123456789abcdef";
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["metrics:token"] = Token });
        using (var anonymous = await server.Client.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain(Requests, await anonymous.Content.ReadAsStringAsync());
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(wrong)).StatusCode);
        }
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await server.Client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Requests, await response.Content.ReadAsStringAsync());
        // The health routes stay open.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_disabled_answers_404()
    {
        await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?> { ["metrics:enabled"] = "false" });
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Login_failures_and_throttled_logins_are_counted()
    {
        await using var auth = await AuthServer.StartAsync();
        var user = await auth.AddUserAsync("metricsuser");
        var before = await auth.Server.Client.GetStringAsync("/metrics");
        var guesser = auth.ClientFrom("127.0.0.9", user, "wrong-password");
        HttpStatusCode last = default;
        for (var i = 0; i <= 10; i++)
        {
            last = (await guesser.GetAsync("/v2/")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        var after = await auth.Server.Client.GetStringAsync("/metrics");
        Assert.True(Value(after, "dockyard_login_failures_total") - Value(before, "dockyard_login_failures_total") >= 10);
        Assert.True(Value(after, "dockyard_login_throttled_total") - Value(before, "dockyard_login_throttled_total") >= 1);
    }
}
