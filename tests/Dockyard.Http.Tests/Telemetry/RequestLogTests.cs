using System.Net;
using System.Net.Http.Headers;
using Dockyard.Http.Telemetry;
using Dockyard.Http.Tests.Auth;
using Dockyard.Http.Tests.V2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Http.Tests.Telemetry;

/// <summary>One request log line per request, with its fields, and never a credential the client sent.</summary>
public sealed class RequestLogTests
{
    private static readonly string Category = typeof(RequestTelemetry).FullName!;

    [Fact]
    public async Task Each_request_is_one_line_with_its_fields_and_no_secret()
    {
        await using var auth = await AuthServer.StartAsync();
        var capture = new LogCapture();
        auth.Server.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        var user = await auth.AddUserAsync("loguser");
        var client = auth.Client(user);
        var password = AuthServer.PasswordOf(user);

        await RegistryPush.PushBlobAsync(client, "loguser/app", "layer bytes"u8.ToArray());
        using (var missing = await client.GetAsync("/v2/loguser/app/manifests/nope"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        const string State = "state-secret-4711";
        using (var upload = await client.GetAsync($"/v2/loguser/app/blobs/uploads/0123456789abcdef0123456789abcdef?_state={State}"))
        {
            Assert.NotEqual(HttpStatusCode.OK, upload.StatusCode);
        }
        const string Bearer = "bearer-secret-0815";
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v2/loguser/app/tags/list"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, (await auth.Server.Client.SendAsync(request)).StatusCode);
        }

        var lines = capture.Entries.Where(e => e.Category == Category).ToList();
        var manifest = Assert.Single(lines, e => e.Message.Contains("v2-manifest", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, manifest.Level);
        Assert.Equal("GET", manifest.Fields["Method"]);
        Assert.Equal("v2-manifest", manifest.Fields["Route"]);
        Assert.Equal("loguser/app", manifest.Fields["Repository"]);
        Assert.Equal(404, manifest.Fields["Status"]);
        Assert.Equal("loguser", manifest.Fields["User"]);
        Assert.True(manifest.Fields["DurationMs"] is double duration && duration >= 0);
        Assert.True(manifest.Fields["BytesOut"] is long);

        var push = Assert.Single(lines, e => "POST".Equals(e.Fields["Method"]) && "v2-upload".Equals(e.Fields["Route"]));
        Assert.Equal(201, push.Fields["Status"]);
        Assert.Equal((long)"layer bytes".Length, push.Fields["BytesIn"]);

        var denied = Assert.Single(lines, e => "v2-tags".Equals(e.Fields["Route"]));
        Assert.Equal(401, denied.Fields["Status"]);
        Assert.Equal("anonymous", denied.Fields["User"]);

        // Nothing any logger wrote holds a credential or upload state the client sent.
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        foreach (var entry in capture.Entries)
        {
            var text = entry.Message + " " + string.Join(" ", entry.Fields.Values);
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Bearer, text, StringComparison.Ordinal);
            Assert.DoesNotContain(State, text, StringComparison.Ordinal);
        }
    }
}
