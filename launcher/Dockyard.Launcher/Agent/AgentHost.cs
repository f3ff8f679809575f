using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Core.P2P;
using Dockyard.Launcher.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// A running agent: two Kestrel listeners (the engine's pull-only registry, the peer endpoint) over one cache,
/// tracker client and piece fetcher. Separate listeners so the registry endpoint can stay on loopback while peers
/// reach the other; disposing stops both.
/// </summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly WebApplication mirror;
    private readonly WebApplication peer;
    private readonly RegistryClient registry;
    private readonly PeerPieceClient peerClient;
    private readonly Announcer announcer;

    private AgentHost(WebApplication mirror, WebApplication peer, RegistryClient registry, PeerPieceClient peerClient, Announcer announcer,
        AgentStats stats, PieceCache cache)
    {
        this.mirror = mirror;
        this.peer = peer;
        this.registry = registry;
        this.peerClient = peerClient;
        this.announcer = announcer;
        Stats = stats;
        Cache = cache;
    }

    public AgentStats Stats { get; }

    public PieceCache Cache { get; }

    /// <summary>The engine's registry endpoint, e.g. <c>http://127.0.0.1:5050/</c>.</summary>
    public Uri MirrorAddress => AddressOf(mirror);

    /// <summary>The peer endpoint as <c>host:port</c>.</summary>
    public string PeerAddress => AddressOf(peer).Authority;

    /// <summary>What the agent announces: <c>host:port</c>, with <c>https://</c> in front when its peer endpoint serves TLS.</summary>
    public string AdvertisedAddress { get; private set; } = "";

    /// <exception cref="LaunchException">Usage, naming the flag, when the options are invalid.</exception>
    public static async Task<AgentHost> StartAsync(AgentOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (options.Validate().ToList() is { Count: > 0 } errors)
        {
            throw new LaunchException(LaunchFailure.Usage, string.Join("; ", errors));
        }
        var logger = loggerFactory.CreateLogger("Dockyard.Launcher.Agent");
        var stats = new AgentStats();
        var cache = new PieceCache(options.CacheDirectory, options.CacheBytes, Math.Min(options.MemoryCacheBytes, options.CacheBytes));
        var registry = new RegistryClient(options.Registry, options.Credentials);
        var tracker = new TrackerClient(registry);
        var peerClient = new PeerPieceClient(options.PeerTimeout, options.PeerAuthorities);
        var announcer = new Announcer(tracker, options, cache, logger);
        var inFlight = new PiecesInFlight();
        var scores = new PeerScores(TimeProvider.System);
        var fetcher = new PieceFetcher(cache, peerClient, scores, tracker, inFlight, options, stats, logger);
        var endpoints = new MirrorEndpoints(registry, new BlobDelivery(tracker, fetcher, peerClient, scores, cache, announcer, new Slots(PiecePicker.RegistryFetchesInSwarm), options, stats, logger), stats);
        var keys = new TokenKeySource(tracker, TimeProvider.System);
        var pieces = new PieceServer(cache, keys, inFlight, new Slots(options.UploadSlots), options.PeerTimeout, stats);

        var mirror = Build(options.Listen, null, loggerFactory);
        mirror.Run(endpoints.HandleAsync);
        var peer = Build(options.PeerListen, options.PeerCertificate, loggerFactory);
        peer.MapGet("/p2p/v1/pieces/{digest}", (HttpContext context, string digest) => pieces.ServeBitfieldAsync(context, digest));
        peer.MapGet("/p2p/v1/pieces/{digest}/{index}", (HttpContext context, string digest, string index) => pieces.ServeAsync(context, digest, index));
        await mirror.StartAsync(cancellationToken);
        await peer.StartAsync(cancellationToken);
        var host = new AgentHost(mirror, peer, registry, peerClient, announcer, stats, cache);
        // Peers learn from the announcement whether to ask over TLS.
        var advertised = (options.PeerCertificate is null ? "" : PeerTracker.TlsScheme) + (options.Advertise ?? host.PeerAddress);
        host.AdvertisedAddress = advertised;
        announcer.Start(advertised);
        // Fetched now rather than on the first peer's request, which would otherwise wait for it (and time out on a busy registry).
        _ = keys.GetAsync(CancellationToken.None);
        // Pieces kept from the last run are served at once, so tell the tracker about them again.
        foreach (var (blob, repository) in cache.Restored)
        {
            announcer.Hold(repository, blob);
        }
        AgentLog.Started(logger, options.AgentId, host.MirrorAddress.Authority, advertised, options.CacheDirectory, options.CacheBytes >> 20);
        return host;
    }

    private static WebApplication Build(IPEndPoint endpoint, X509Certificate2? certificate, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        return builder.Build();
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async ValueTask DisposeAsync()
    {
        await announcer.DisposeAsync();
        await mirror.StopAsync();
        await peer.StopAsync();
        await mirror.DisposeAsync();
        await peer.DisposeAsync();
        registry.Dispose();
        peerClient.Dispose();
    }
}
