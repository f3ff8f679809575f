using Dockyard.Hosting.Configuration;
using Dockyard.Redis;

namespace Dockyard.Hosting;

/// <summary>
/// <c>[db] redis</c>: when set, the nodes count failed logins together in that Redis (database <c>[db] db</c>); when
/// not, each node counts in its own memory, as a single node always has. The cache of verified passwords needs no Redis:
/// every remembered login is checked against the account store the nodes already share (see CredentialVerifier).
/// </summary>
internal static class RedisComposition
{
    public static RedisOptions ToOptions(DbOptions db) => new() { Configuration = db.Redis, Database = db.Db };

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
        }
        catch (ArgumentException e)
        {
            throw new StartupException(e.Message, e);
        }
    }
}
