using System.CommandLine;
using System.Net;
using Dockyard.Launcher.Agent;
using Dockyard.Launcher.Registry;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Cli;

/// <summary>
/// <c>launcher agent</c>: the P2P agent of this host (docs/p2p.md). A pull-only registry on loopback for the engine
/// (<c>docker pull 127.0.0.1:5050/repo:tag</c>), a peer endpoint for other agents, a bounded piece cache. Runs until
/// interrupted.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var registry = new Option<string?>("--registry")
        {
            Description = "the Dockyard registry URL (default: $DOCKYARD_REGISTRY)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DOCKYARD_REGISTRY"),
        };
        var user = new Option<string?>("--username", "-u") { Description = "registry user (default: docker login's config.json)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the registry password from stdin" };
        var listen = new Option<string>("--listen") { Description = "the engine's registry endpoint", DefaultValueFactory = _ => "127.0.0.1:5050" };
        var peerListen = new Option<string>("--peer-listen") { Description = "the endpoint other agents fetch pieces from", DefaultValueFactory = _ => "127.0.0.1:5051" };
        var advertise = new Option<string?>("--advertise") { Description = "host:port announced to the tracker (default: the peer endpoint)" };
        var cache = new Option<string>("--cache")
        {
            Description = "the piece cache folder (kept across restarts)",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "dockyard-agent-cache"),
        };
        var peerCert = new Option<string?>("--peer-tls-cert") { Description = "PEM certificate the peer endpoint serves over TLS (announced as https://)" };
        var peerKey = new Option<string?>("--peer-tls-key") { Description = "PEM private key of --peer-tls-cert" };
        var peerCa = new Option<string?>("--peer-ca") { Description = "PEM CA certificate(s) other agents' TLS certificates must chain to (default: the machine's store)" };
        var cacheSize = new Option<long>("--cache-size") { Description = "the cache's bound in MiB", DefaultValueFactory = _ => 10240 };
        var memoryCache = new Option<long>("--memory-cache")
        {
            Description = "MiB of the pieces verified last also kept in memory (served without a disk read or another hash; 0: none)",
            DefaultValueFactory = _ => 64,
        };
        var peerWait = new Option<double>("--peer-wait")
        {
            Description = "seconds the swarm may gain no piece before this agent takes other agents' share from the registry",
            DefaultValueFactory = _ => 15,
        };
        var uploadSlots = new Option<int>("--upload-slots")
        {
            Description = "pieces sent to peers at once; more requests are answered busy and asked elsewhere",
            DefaultValueFactory = _ => 4,
        };
        var command = new Command("agent", "Run the P2P agent: a local pull-only registry that fetches blobs from peers and the registry")
        {
            registry, user, passwordStdin, listen, peerListen, advertise, cache, cacheSize, memoryCache, peerWait, uploadSlots, peerCert, peerKey, peerCa,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var registryUrl = result.GetValue(registry) is { Length: > 0 } url && Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) ? parsed
                    : throw new LaunchException(LaunchFailure.Usage, "--registry (or $DOCKYARD_REGISTRY) must be the registry's URL");
                var options = new AgentOptions
                {
                    Registry = registryUrl,
                    Credentials = Credentials(result.GetValue(user), result.GetValue(passwordStdin), registryUrl),
                    Listen = Endpoint(result.GetRequiredValue(listen), "--listen"),
                    PeerListen = Endpoint(result.GetRequiredValue(peerListen), "--peer-listen"),
                    Advertise = result.GetValue(advertise),
                    CacheDirectory = result.GetRequiredValue(cache),
                    CacheBytes = result.GetValue(cacheSize) << 20,
                    MemoryCacheBytes = result.GetValue(memoryCache) << 20,
                    PeerWait = PeerWait(result.GetValue(peerWait)),
                    UploadSlots = result.GetValue(uploadSlots),
                    PeerCertificate = (result.GetValue(peerCert), result.GetValue(peerKey)) switch
                    {
                        ({ Length: > 0 } certFile, { Length: > 0 } keyFile) => PeerTls.LoadServerCertificate(certFile, keyFile),
                        (null or "", null or "") => null,
                        _ => throw new LaunchException(LaunchFailure.Usage, "--peer-tls-cert and --peer-tls-key go together"),
                    },
                    PeerAuthorities = result.GetValue(peerCa) is { Length: > 0 } caFile ? PeerTls.LoadAuthorities(caFile) : null,
                };
                // ASP.NET Core's per-request lines at Information would be two for every piece and bitfield a swarm asks for.
                using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)
                    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
                await using var agent = await AgentHost.StartAsync(options, logging, cancellationToken);
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            }
            catch (LaunchException e)
            {
                await Console.Error.WriteLineAsync("launcher: " + e.Describe());
                return e.ExitCode;
            }
        });
        return command;
    }

    private static RegistryCredentials? Credentials(string? user, bool passwordStdin, Uri registry) => user switch
    {
        { Length: > 0 } when passwordStdin => new RegistryCredentials(user, (Console.In.ReadLine() ?? "").TrimEnd('\r', '\n')),
        { Length: > 0 } => throw new LaunchException(LaunchFailure.Usage, "--username needs --password-stdin"),
        _ when passwordStdin => throw new LaunchException(LaunchFailure.Usage, "--password-stdin needs --username"),
        _ => RegistryCredentials.FromDockerConfig(registry.Authority),
    };

    // Checked before the conversion: TimeSpan.FromSeconds throws on NaN and on huge values.
    private static TimeSpan PeerWait(double seconds) => seconds is >= 0 and <= 300 ? TimeSpan.FromSeconds(seconds)
        : throw new LaunchException(LaunchFailure.Usage, $"--peer-wait {seconds}: between 0 and 300 seconds");

    private static IPEndPoint Endpoint(string text, string flag) => IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0 ? endpoint
        : throw new LaunchException(LaunchFailure.Usage, $"{flag} '{text}': must be IP:PORT");
}
