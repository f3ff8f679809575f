using StackExchange.Redis;

namespace Dockyard.Redis;

/// <summary><c>[db] redis</c> and <c>[db] db</c>: the Redis that registry nodes share, and its database index.</summary>
public sealed class RedisOptions
{
    /// <summary>How long an operation may wait for Redis unless the configuration says otherwise (<c>asyncTimeout=</c>):
    /// short, because a login waits on it before falling back to this node's counts.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    /// <summary><c>[db] redis</c>: <c>host:port</c>, or a StackExchange.Redis configuration string
    /// (<c>host:port,password=…,ssl=true</c>); null or empty: no Redis, every node counts on its own.</summary>
    public string? Configuration { get; init; }

    /// <summary><c>[db] db</c>: the Redis database index the keys live in (the original Dockyard's key); 0 by default.</summary>
    public int Database { get; init; }

    /// <summary>True when <see cref="Configuration"/> names a Redis.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>The faults of these options, each naming its <c>[db]</c> key; empty when valid or not <see cref="Enabled"/>.</summary>
    public IReadOnlyList<string> Validate()
    {
        if (!Enabled)
        {
            return [];
        }
        var errors = new List<string>();
        try
        {
            if (ToConfiguration().EndPoints.Count == 0)
            {
                errors.Add($"[db] redis = '{Configuration}': names no host:port");
            }
        }
        catch (ArgumentException e)
        {
            errors.Add($"[db] redis = '{Configuration}': {e.Message}");
        }
        if (Database < 0)
        {
            errors.Add($"[db] db = {Database}: the Redis database index must be 0 or more");
        }
        return errors;
    }

    /// <summary>The client configuration: a connection that is down never holds a start-up or a login up (commands fail
    /// at once instead of queuing for a reconnect), and reconnecting goes on in the background.</summary>
    /// <exception cref="ArgumentException">The configuration string is malformed.</exception>
    public ConfigurationOptions ToConfiguration()
    {
        var options = ConfigurationOptions.Parse(Configuration!.Trim());
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.DefaultDatabase = Database;
        if (!Configuration.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = (int)DefaultTimeout.TotalMilliseconds;
        }
        if (!Configuration.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.ConnectTimeout = (int)DefaultTimeout.TotalMilliseconds * 2;
        }
        return options;
    }
}
