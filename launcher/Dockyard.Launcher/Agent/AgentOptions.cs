using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Launcher.Registry;

namespace Dockyard.Launcher.Agent;

/// <summary>What one <c>launcher agent</c> is: where it pulls from, as whom, where it listens and how much it caches.</summary>
internal sealed record AgentOptions
{
    /// <summary>The Dockyard registry (the origin and the tracker).</summary>
    public required Uri Registry { get; init; }

    /// <summary>Who the agent pulls as; null pulls anonymously.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>The pull-only registry endpoint for the engine: loopback by default, since it pulls with the agent's credentials.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 5050);

    /// <summary>The endpoint other agents fetch pieces from.</summary>
    public IPEndPoint PeerListen { get; init; } = new(IPAddress.Loopback, 5051);

    /// <summary>The <c>host:port</c> announced to the tracker; null announces the bound peer endpoint.</summary>
    public string? Advertise { get; init; }

    /// <summary>The certificate (with its key) the peer endpoint serves over TLS; null serves plain HTTP.</summary>
    public X509Certificate2? PeerCertificate { get; init; }

    /// <summary>The CAs other agents' certificates must chain to; null trusts the machine's store.</summary>
    public X509Certificate2Collection? PeerAuthorities { get; init; }

    /// <summary>The piece cache folder; kept across restarts (each piece is checked against its recorded hash when read).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The cache's size bound: least recently used blobs go past it.</summary>
    public long CacheBytes { get; init; } = 10L << 30;

    /// <summary>
    /// How much of the pieces verified last is also kept in memory (<see cref="RecentPieces"/>), so the engine's stream
    /// and peers get them without a disk read or another hash; 0 keeps none. Never more than <see cref="CacheBytes"/>.
    /// </summary>
    public long MemoryCacheBytes { get; init; } = 64L << 20;

    /// <summary>This agent's id at the tracker; a fresh one per start by default.</summary>
    public string AgentId { get; init; } = "agent-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Pieces fetched at once per blob (also the most verified pieces held in memory per blob).</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>
    /// How many pieces the peer endpoint sends at once; more requests are answered "busy" so the link serves a few
    /// peers whole pieces soon rather than every peer a sliver (<see cref="Slots"/>).
    /// </summary>
    public int UploadSlots { get; init; } = 4;

    /// <summary>
    /// How long a peer may take to deliver one piece before it is given up on (and the piece fetched elsewhere), and to
    /// take one from this agent before it is cut off (so a peer reading slowly cannot hold an upload slot).
    /// </summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long (plus up to as much again, at random) the swarm may make no progress (no peer gaining a piece) before
    /// this agent takes pieces that are other agents' share from the registry; zero goes to the registry at once.
    /// Long enough for an agent to start its share while the registry's link is shared by the whole swarm: with 5 s,
    /// 8 agents started together took 1.79 images from the registry, with 15 s 1.17 (docs/benchmarks.md).
    /// </summary>
    public TimeSpan PeerWait { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often at most a running download asks the tracker for peers again.</summary>
    public TimeSpan PeerRefresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an announcement counts at the tracker; re-announced at half of it.</summary>
    public TimeSpan AnnouncementTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The errors that make these options unusable, each naming its flag; empty when they are fine.</summary>
    public IEnumerable<string> Validate()
    {
        if (Registry.Scheme is not ("http" or "https"))
        {
            yield return $"--registry '{Registry}': must be an http or https URL";
        }
        if (CacheBytes < BlobPiecesFloor)
        {
            yield return $"--cache-size {CacheBytes >> 20}: at least {BlobPiecesFloor >> 20} MiB (a few pieces)";
        }
        if (MemoryCacheBytes is < 0 or > MemoryCacheCeiling)
        {
            yield return $"--memory-cache {MemoryCacheBytes >> 20}: between 0 and {MemoryCacheCeiling >> 20} MiB";
        }
        if (Parallelism is < 1 or > 64)
        {
            yield return $"--parallel {Parallelism}: between 1 and 64";
        }
        if (UploadSlots is < 1 or > 256)
        {
            yield return $"--upload-slots {UploadSlots}: between 1 and 256";
        }
        if (PeerWait < TimeSpan.Zero || PeerWait > TimeSpan.FromMinutes(5))
        {
            yield return $"--peer-wait {PeerWait.TotalSeconds}: between 0 and 300 seconds";
        }
        if (Advertise is { } advertised && !advertised.Contains(':', StringComparison.Ordinal))
        {
            yield return $"--advertise '{advertised}': must be host:port";
        }
    }

    private const long BlobPiecesFloor = 16L << 20;

    private const long MemoryCacheCeiling = 4L << 30;
}
