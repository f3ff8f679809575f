using Dockyard.MySql;

namespace Dockyard.Hosting.Configuration;

/// <summary>The top-level keys of runtime.conf (before any section).</summary>
public sealed class RuntimeOptions
{
    /// <summary><c>runmode</c>: dev | prod. prod hides exception details from logs' console colouring only.</summary>
    public string RunMode { get; set; } = "dev";

    /// <summary><c>listenmode</c>: http | https.</summary>
    public string ListenMode { get; set; } = "http";

    /// <summary><c>httpscertfile</c>: PEM certificate (chain) served when listenmode = https.</summary>
    public string? HttpsCertFile { get; set; }

    /// <summary><c>httpskeyfile</c>: PEM private key of <see cref="HttpsCertFile"/>.</summary>
    public string? HttpsKeyFile { get; set; }
}

/// <summary><c>[log]</c>.</summary>
public sealed class LogOptions
{
    /// <summary><c>filepath</c>: also write the log to this file; empty means stdout only.</summary>
    public string? FilePath { get; set; }

    /// <summary><c>level</c>: the minimum level (Trace … Critical); Information by default.</summary>
    public string Level { get; set; } = "Information";

    /// <summary><c>format</c>: text (one plain line per entry, the default) | json (one JSON object per line, fields as properties).</summary>
    public string Format { get; set; } = "text";

    /// <summary>True when <see cref="Format"/> is json.</summary>
    public bool IsJson => string.Equals(Format?.Trim(), "json", StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>[db]</c>: the metadata store.</summary>
public sealed class DbOptions
{
    /// <summary><c>driver</c>: sqlite (default) | azuretables (<c>[azure]</c> section) | mysql (<c>uri</c>, <c>user</c>, <c>passwd</c>, <c>name</c>).</summary>
    public string Driver { get; set; } = "sqlite";

    /// <summary><c>uri</c>: for sqlite the database file (default &lt;[dockyard] path&gt;/metadata.db); host:port for servers.</summary>
    public string? Uri { get; set; }

    /// <summary><c>busytimeout</c>: for sqlite, seconds a write waits for a lock another process holds before answering 503.</summary>
    public int BusyTimeout { get; set; } = 30;

    /// <summary><c>user</c>: for mysql, the account the registry logs in as.</summary>
    public string? User { get; set; }

    /// <summary><c>passwd</c>: for mysql, its password; null or empty for none.</summary>
    public string? Passwd { get; set; }

    /// <summary><c>name</c>: for mysql, the database (created beforehand; the registry creates and migrates its tables).</summary>
    public string? Name { get; set; }

    /// <summary><c>maxconnections</c>: for mysql, the most connections each node opens to the server (its pool's size).</summary>
    public int MaxConnections { get; set; } = MySqlStoreOptions.DefaultMaxConnections;

    /// <summary><c>db</c>: the Redis database index <see cref="Redis"/> keys live in (the original Dockyard's key); 0 by default.</summary>
    public int Db { get; set; }

    /// <summary><c>redis</c>: <c>host:port</c> (or a StackExchange.Redis configuration string) of a Redis that the
    /// registry nodes share for login throttling; null or empty: none, each node counts on its own.</summary>
    public string? Redis { get; set; }

    /// <summary><c>pullcache</c>: auto (default: on with <see cref="Redis"/> and a driver the nodes share, mysql or
    /// azuretables) | on (with Redis, whatever the driver) | off. When on, each node serves pulls of manifests from its
    /// memory while their repository's stamp in Redis is unchanged; off: every pull reads the store.</summary>
    public string PullCache { get; set; } = "auto";
}

/// <summary><c>[dockyard]</c>: the registry itself.</summary>
public sealed class DockyardOptions
{
    /// <summary><c>authmode</c>: how users authenticate when standalone = false (token).</summary>
    public string AuthMode { get; set; } = "token";

    /// <summary><c>path</c>: the data folder for blobs and the default SQLite file.</summary>
    public string Path { get; set; } = "data";

    /// <summary><c>domains</c>: the registry's public host name(s), comma-separated.</summary>
    public string? Domains { get; set; }

    /// <summary><c>registry</c>: the Docker V1 protocol version announced (X-Docker-Registry-Version).</summary>
    public string Registry { get; set; } = "0.9";

    /// <summary><c>distribution</c>: the Docker-Distribution-API-Version header value.</summary>
    public string Distribution { get; set; } = "registry/2.0";

    /// <summary><c>standalone</c>: true runs without authorization checks.</summary>
    public bool Standalone { get; set; } = true;

    /// <summary><c>backend</c>: the blob store: filesystem (default) | azure (<c>[azure]</c> section) | rados (<c>[rados]</c> section).</summary>
    public string Backend { get; set; } = "filesystem";

    /// <summary><c>cachable</c>: keep a local read cache (under <c>path</c>/cache) in front of a remote blob store.</summary>
    public bool Cachable { get; set; }

    /// <summary><c>cachesize</c>: MiB the read cache may hold before the least recently used blobs are evicted.</summary>
    public long CacheSize { get; set; } = 10240;

    /// <summary>
    /// <c>trustedproxies</c>: comma-separated addresses or CIDR networks of reverse proxies whose <c>X-Forwarded-*</c>
    /// headers are believed (loopback always is). The client address they report is what login throttling and the
    /// per-client upload cap count by, so a proxy on another host must be listed here; null or empty: loopback only.
    /// </summary>
    public string? TrustedProxies { get; set; }

    /// <summary>The networks of <see cref="TrustedProxies"/>; an entry that is no address or network is skipped (the validator reports it).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks() =>
        [.. (TrustedProxies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseNetwork).OfType<System.Net.IPNetwork>()];

    /// <summary>An address (a network of one) or a CIDR network; null when the text is neither.</summary>
    public static System.Net.IPNetwork? ParseNetwork(string text) =>
        System.Net.IPNetwork.TryParse(text, out var network) ? network
        : System.Net.IPAddress.TryParse(text, out var address) ? new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;

    /// <summary><c>uploadpurgeage</c>: hours after which an unfinished upload is purged; 0 keeps them forever.</summary>
    public int UploadPurgeAge { get; set; } = 168;
}
