using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Testing;

/// <summary>One request a webhook receiver got: its content type, headers, body and the status it answered.</summary>
public sealed record ReceivedRequest(string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body, int Status);

/// <summary>
/// A real webhook receiver for notification tests: Kestrel on 127.0.0.1 recording every POST to <c>/events</c> and
/// answering <see cref="Answer"/> (200 unless a test makes it fail). Stopping it closes the port; a new receiver can
/// listen on the same port later, as a receiver that went down and came back.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();

    private EventReceiver(WebApplication app) => this.app = app;

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/events");

    /// <summary>The status every request is answered with from now on.</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    /// <summary>The events of every request answered 2xx, in the order they arrived (each envelope's events in its order).</summary>
    public IReadOnlyList<JsonElement> Events =>
        [.. requests.Where(r => r.Status is >= 200 and < 300).SelectMany(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("events").EnumerateArray())];

    /// <param name="port">The port to listen on; 0 for a free one.</param>
    public static async Task<EventReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost("/events", receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> events were accepted; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForEventsAsync(int count, int seconds = 30)
    {
        await WaitUntilAsync(() => Events.Count, count, "events", seconds);
        return Events;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived, whatever they were answered.</summary>
    public Task WaitForRequestsAsync(int count, int seconds = 30) => WaitUntilAsync(() => requests.Count, count, "requests", seconds);

    private static async Task WaitUntilAsync(Func<int> current, int count, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (current() < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{current()} of {count} {what} arrived within {seconds} s");
            }
            await Task.Delay(50);
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var status = (int)Answer;
        requests.Enqueue(new ReceivedRequest(context.Request.ContentType,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
