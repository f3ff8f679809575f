using System.Net;
using System.Text.Json;
using Dockyard.Http.Tests.Auth;
using Dockyard.Testing;
using Microsoft.Data.Sqlite;

namespace Dockyard.Http.Tests.Events;

/// <summary>Webhook notifications end to end: a real registry, a real receiver on loopback, events in Distribution's envelope.</summary>
public sealed class NotificationTests
{
    private const string EnvelopeType = "application/vnd.docker.distribution.events.v1+json";

    private static Dictionary<string, string?> Endpoint(string name, EventReceiver receiver, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"notifications.{name}:url"] = receiver.Url.ToString(),
            [$"notifications.{name}:timeout"] = "2s",
            [$"notifications.{name}:threshold"] = "2",
            [$"notifications.{name}:backoff"] = "100ms",
            [$"notifications.{name}:maxbackoff"] = "400ms",
        };
        foreach (var (key, value) in extra)
        {
            settings[$"notifications.{name}:{key}"] = value;
        }
        return settings;
    }

    private static Dictionary<string, string?> Settings(string endpoints, params Dictionary<string, string?>[] sections)
    {
        var settings = new Dictionary<string, string?> { ["notifications:endpoints"] = endpoints };
        foreach (var (key, value) in sections.SelectMany(s => s))
        {
            settings[key] = value;
        }
        return settings;
    }

    private static async Task ExpectAsync(HttpStatusCode status, Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.Equal(status, response.StatusCode);
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (!element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.Number ? element.GetRawText() : element.GetString();
    }

    [Fact]
    public async Task Push_pull_and_delete_arrive_with_Distributions_fields()
    {
        await using var receiver = await EventReceiver.StartAsync();
        await using var server = await RegistryServer.StartAsync(Settings("hook", Endpoint("hook", receiver, ("header.Authorization", "Bearer s3cret"))));
        var client = server.Client;
        client.DefaultRequestHeaders.UserAgent.ParseAdd("notify-test/1.0");

        var image = await TestImage.PushAsync(client, "team/app", "v1");
        await ExpectAsync(HttpStatusCode.OK, client.GetAsync("/v2/team/app/manifests/v1"));
        await ExpectAsync(HttpStatusCode.OK, client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/manifests/{image.Digest}")));
        await ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/v2/team/app/manifests/{image.Digest}"));
        await ExpectAsync(HttpStatusCode.Accepted, client.DeleteAsync("/v2/team/app/manifests/v1"));
        await ExpectAsync(HttpStatusCode.Accepted, client.DeleteAsync($"/v2/team/app/manifests/{image.Digest}"));

        var events = await receiver.WaitForEventsAsync(5);
        await Task.Delay(300);
        Assert.Equal(5, receiver.Events.Count);
        Assert.All(receiver.Requests, r =>
        {
            Assert.Equal(EnvelopeType, r.ContentType);
            Assert.Equal("Bearer s3cret", r.Headers["Authorization"]);
        });
        Assert.Equal(["push", "pull", "pull", "delete", "delete"], events.Select(e => Text(e, "action")));
        var url = new Uri(server.BaseAddress, $"/v2/team/app/manifests/{image.Digest}").ToString();
        foreach (var e in events.Take(3))
        {
            Assert.Equal(image.MediaType, Text(e, "target", "mediaType"));
            Assert.Equal(image.Digest, Text(e, "target", "digest"));
            Assert.Equal(image.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(e, "target", "size"));
            Assert.Equal(image.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(e, "target", "length"));
            Assert.Equal(url, Text(e, "target", "url"));
        }
        Assert.Equal(["v1", "v1", null, "v1", null], events.Select(e => Text(e, "target", "tag")));
        Assert.Equal([null, null, null, null, image.Digest], events.Select(e => e.GetProperty("action").GetString() == "delete" ? Text(e, "target", "digest") : null));
        Assert.All(events, e => Assert.Equal("team/app", Text(e, "target", "repository")));
        Assert.Equal(["PUT", "GET", "GET", "DELETE", "DELETE"], events.Select(e => Text(e, "request", "method")));
        Assert.All(events, e =>
        {
            Assert.Equal("notify-test/1.0", Text(e, "request", "useragent"));
            Assert.Equal(server.HostAndPort, Text(e, "request", "host"));
            Assert.StartsWith("127.0.0.1:", Text(e, "request", "addr"));
            Assert.False(string.IsNullOrEmpty(Text(e, "request", "id")));
            Assert.Equal(Environment.MachineName, Text(e, "source", "addr"));
            Assert.True(Guid.TryParse(Text(e, "source", "instanceID"), out _));
            Assert.True(e.GetProperty("actor").ValueKind == JsonValueKind.Object);
            Assert.Null(Text(e, "actor", "name"));
            Assert.True(DateTime.UtcNow - e.GetProperty("timestamp").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(1));
        });
        Assert.Equal(5, events.Select(e => Text(e, "id")).Distinct().Count());
        Assert.Single(events.Select(e => Text(e, "source", "instanceID")).Distinct());
    }

    [Fact]
    public async Task Each_endpoint_gets_only_the_actions_and_media_types_it_asked_for()
    {
        await using var all = await EventReceiver.StartAsync();
        await using var pushes = await EventReceiver.StartAsync();
        await using var docker = await EventReceiver.StartAsync();
        await using var server = await RegistryServer.StartAsync(Settings("all, pushes, docker, off",
            Endpoint("all", all), Endpoint("pushes", pushes, ("ignoredactions", "pull, delete")),
            Endpoint("docker", docker, ("mediatypes", "application/vnd.docker.distribution.manifest.v2+json")),
            Endpoint("off", all, ("disabled", "true"))));

        var image = await TestImage.PushAsync(server.Client, "app", "v1");
        await ExpectAsync(HttpStatusCode.OK, server.Client.GetAsync("/v2/app/manifests/v1"));
        await ExpectAsync(HttpStatusCode.Accepted, server.Client.DeleteAsync($"/v2/app/manifests/{image.Digest}"));

        await all.WaitForEventsAsync(3);
        await pushes.WaitForEventsAsync(1);
        await docker.WaitForEventsAsync(1);
        await Task.Delay(500);
        Assert.Equal(["push", "pull", "delete"], all.Events.Select(e => Text(e, "action")));
        Assert.Equal(["push"], pushes.Events.Select(e => Text(e, "action")));
        // An OCI manifest is not what "docker" asked for; a delete names no media type and is always sent.
        Assert.Equal(["delete"], docker.Events.Select(e => Text(e, "action")));
    }

    [Fact]
    public async Task Events_queued_while_the_receiver_fails_or_is_down_all_arrive_in_order_when_it_returns()
    {
        var receiver = await EventReceiver.StartAsync();
        var port = receiver.Port;
        receiver.Answer = HttpStatusCode.InternalServerError;
        await using var server = await RegistryServer.StartAsync(Settings("hook", Endpoint("hook", receiver)));

        var tags = Enumerable.Range(0, 12).Select(i => $"t{i}").ToList();
        foreach (var tag in tags[..4])
        {
            await TestImage.PushAsync(server.Client, "app", tag);
        }
        await receiver.WaitForRequestsAsync(3);
        Assert.Empty(receiver.Events);
        await receiver.DisposeAsync();
        // Now nothing listens on the port: connection refused.
        foreach (var tag in tags[4..])
        {
            await TestImage.PushAsync(server.Client, "app", tag);
        }
        await Task.Delay(1000);

        await using var back = await EventReceiver.StartAsync(port);
        var events = await back.WaitForEventsAsync(tags.Count);
        await Task.Delay(500);
        // At least once: a repeat may happen, but every event arrives, and first arrivals keep the push order.
        Assert.Equal(tags, events.Select(e => Text(e, "target", "tag")).Distinct());
        Assert.Equal(tags.Count, back.Events.Select(e => Text(e, "id")).Distinct().Count());
    }

    [Fact]
    public async Task The_actor_is_the_user_who_made_the_request()
    {
        await using var receiver = await EventReceiver.StartAsync();
        await using var auth = await AuthServer.StartAsync(settings: Settings("hook", Endpoint("hook", receiver)));
        var alice = await auth.AddUserAsync("alice");
        var client = auth.Client(alice);
        await TestImage.PushAsync(client, "alice/app", "v1");

        var pushed = Assert.Single(await receiver.WaitForEventsAsync(1));
        Assert.Equal("alice", Text(pushed, "actor", "name"));
    }

    [Fact]
    public async Task A_docker_v1_tag_push_is_the_push_of_its_converted_manifest()
    {
        await using var receiver = await EventReceiver.StartAsync();
        await using var server = await RegistryServer.StartAsync(Settings("hook", Endpoint("hook", receiver)));
        var image = V1Image.Create(null, V1Image.TarOf(("a", "a")), true, "add");
        await new V1Client(server.Client).PushAsync("library/old", "1.0", [image]);
        using var manifest = await server.Client.GetAsync("/v2/library/old/manifests/1.0");
        var digest = manifest.Headers.GetValues("Docker-Content-Digest").Single();

        var events = await receiver.WaitForEventsAsync(2);
        Assert.Equal([("push", "PUT"), ("pull", "GET")], events.Select(e => (Text(e, "action"), Text(e, "request", "method"))));
        Assert.All(events, e => Assert.Equal((digest, "1.0", "library/old", "application/vnd.docker.distribution.manifest.v2+json"),
            (Text(e, "target", "digest"), Text(e, "target", "tag"), Text(e, "target", "repository"), Text(e, "target", "mediaType"))));
    }

    [Fact]
    public async Task Without_endpoints_requests_queue_nothing()
    {
        await using var server = await RegistryServer.StartAsync();
        var image = await TestImage.PushAsync(server.Client, "app", "v1");
        await ExpectAsync(HttpStatusCode.OK, server.Client.GetAsync($"/v2/app/manifests/{image.Digest}"));
        await ExpectAsync(HttpStatusCode.Accepted, server.Client.DeleteAsync($"/v2/app/manifests/{image.Digest}"));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataPath, "metadata.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Nothing was queued: with no endpoint the handlers never build an event (nor would anything ever deliver it).
        command.CommandText = "SELECT COUNT(*) FROM notification_events";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
