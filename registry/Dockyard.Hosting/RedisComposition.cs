using Dockyard.Hosting.Configuration;
using Dockyard.Redis;

namespace Dockyard.Hosting;

/// <summary>
/// <c>[db] redis</c>: when set, the nodes count failed logins together in that Redis (database <c>[db] db</c>) and, on a
/// shared metadata store, keep the repository stamps that let each node serve pulls from memory (<c>[db] pullcache</c>); when
/// not, each node counts in its own memory, as a single node always has, and every pull reads the store. The cache of verified passwords needs no Redis:
/// every remembered login is checked against the account store the nodes already share (see CredentialVerifier).
/// </summary>
internal static class RedisComposition
{
    public static RedisOptions ToOptions(DbOptions db) => new() { Configuration = db.Redis, Database = db.Db };

    /// <summary>
    /// True when pulls are served from the node's memory, checked against repository stamps in Redis: with <c>[db] redis</c>,
    /// <c>pullcache = on</c>, or <c>auto</c> (the default) with a metadata store the nodes share (SQLite's reads in this
    /// process cost about what the stamp's read would).
    /// </summary>
    public static bool UsesPullCache(DbOptions db) =>
        !string.IsNullOrWhiteSpace(db.Redis) && db.PullCache.Trim().ToLowerInvariant() switch
        {
            "on" => true,
            "auto" => !string.Equals(db.Driver.Trim(), "sqlite", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    /// <summary>The values <c>[db] pullcache</c> takes.</summary>
    public static readonly string[] PullCacheValues = ["auto", "on", "off"];

    /// <exception cref="StartupException">Redis refuses the password or the database index; the message names the key.</exception>
    public static void AddShared(IServiceCollection services, DbOptions db)
    {
        var options = ToOptions(db);
        if (!options.Enabled)
        {
            return;
        }
        try
        {
            services.AddRedisLoginFailureCounts(options);
            if (UsesPullCache(db))
            {
                services.AddRedisPullCache();
            }
        }
        catch (ArgumentException e)
        {
            throw new StartupException(e.Message, e);
        }
    }
}
