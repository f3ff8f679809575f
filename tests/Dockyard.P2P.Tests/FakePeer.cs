using Dockyard.Launcher.Agent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.P2P.Tests;

/// <summary>
/// A peer endpoint played by the test (on 127.0.0.1, a free port): every piece request goes to <c>serve</c>, which
/// gets the request number (from 1) and the piece index. Counts the piece requests it got. Its bitfield claims the
/// first eight pieces of any blob unless told otherwise, so agents ask it for them.
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private FakePeer(WebApplication app) => this.app = app;

    public int Requests => Volatile.Read(ref requests);

    public string Address => new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

    /// <param name="bitfield">The bitfield answer's JSON; null claims the first eight pieces held.</param>
    public static async Task<FakePeer> StartAsync(Func<HttpContext, int, int, Task> serve, string? bitfield = null)
    {
        bitfield ??= $"{{\"held\":\"{PieceBitfield.Encode(Enumerable.Range(0, 8))}\",\"fetching\":\"\"}}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var peer = new FakePeer(app);
        app.MapGet("/p2p/v1/pieces/{digest}", () => Results.Text(bitfield, "application/json"));
        app.MapGet("/p2p/v1/pieces/{digest}/{index:int}", (HttpContext context, int index) =>
            serve(context, Interlocked.Increment(ref peer.requests), index));
        await app.StartAsync();
        return peer;
    }

    /// <summary>Stops listening: later connections are refused, as to a killed process.</summary>
    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
