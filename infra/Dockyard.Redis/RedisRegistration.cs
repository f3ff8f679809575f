using Dockyard.Core.Access;
using Dockyard.Core.Metadata;
using Dockyard.Core.Metadata.PullCache;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dockyard.Redis;

/// <summary>Registers Redis (<c>[db] redis</c>) as the login throttle's shared <see cref="ILoginFailureCounts"/> and, on request, as the pull cache's repository stamps.</summary>
public static class RedisRegistration
{
    private static readonly RedisKey Probe = "dockyard:probe";

    /// <summary>
    /// Connects now, waiting at most the connect timeout: a Redis that is down does not stop the node (it counts alone
    /// until Redis answers, see <see cref="RedisLoginFailureCounts"/>), but one that refuses the password or the
    /// database index does, naming the key.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid or Redis refuses them; the message names the <c>[db]</c> key.</exception>
    public static IServiceCollection AddRedisLoginFailureCounts(this IServiceCollection services, RedisOptions options)
    {
        var errors = options.Validate();
        if (!options.Enabled || errors.Count > 0)
        {
            throw new ArgumentException(options.Enabled ? string.Join("\n", errors) : "[db] redis: names no Redis", nameof(options));
        }
        var multiplexer = ConnectionMultiplexer.Connect(options.ToConfiguration());
        try
        {
            // Any keyed command selects the database first, so a wrong index or password shows here.
            multiplexer.GetDatabase().KeyExists(Probe);
        }
        catch (Exception e) when (e is RedisServerException or RedisCommandException)
        {
            // The server ("ERR DB index is out of range") or the client, which knows the server's database count, refused the index.
            multiplexer.Dispose();
            throw new ArgumentException($"[db] db = {options.Database}: Redis refused it: {e.Message}", nameof(options), e);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            multiplexer.Dispose();
            throw new ArgumentException($"[db] redis = '{options.Configuration}': Redis refused the credentials: {e.Message}", nameof(options), e);
        }
        catch (Exception e) when (RedisOutage.IsUnavailable(e))
        {
            // Down or unreachable now: the node starts anyway and the first login logs the outage.
        }
        // From a factory, so that the container disposes it (and its reconnect loop) with the host.
        services.AddSingleton<IConnectionMultiplexer>(_ => multiplexer);
        services.AddSingleton(sp => new RedisOutage(sp.GetService<ILogger<RedisOutage>>() ?? NullLogger<RedisOutage>.Instance));
        services.AddSingleton<ILoginFailureCounts>(sp => new RedisLoginFailureCounts(sp.GetRequiredService<IConnectionMultiplexer>(),
            new InProcessLoginFailureCounts(sp.GetService<TimeProvider>() ?? TimeProvider.System), sp.GetRequiredService<RedisOutage>()));
        return services;
    }

    /// <summary>
    /// Puts this node's memory of pulled manifests in front of the metadata store registered so far, kept exact by
    /// repository stamps in the Redis that <see cref="AddRedisLoginFailureCounts"/> registered (call that first): see
    /// <see cref="PullCachedMetadataStore"/> and <see cref="RedisRepositoryStamps"/>. For a store the nodes share; a
    /// store in this process alone is as fast as the cache.
    /// </summary>
    /// <exception cref="InvalidOperationException">No metadata store or no Redis is registered yet.</exception>
    public static IServiceCollection AddRedisPullCache(this IServiceCollection services, long capacityBytes = PulledManifests.DefaultCapacityBytes)
    {
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IMetadataStore))
            ?? throw new InvalidOperationException("AddRedisPullCache: register the metadata store first");
        if (!services.Any(d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            throw new InvalidOperationException("AddRedisPullCache: call AddRedisLoginFailureCounts first");
        }
        services.Remove(store);
        services.AddSingleton<IRepositoryStamps>(sp => new RedisRepositoryStamps(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisOutage>()));
        services.AddSingleton(_ => new PulledManifests(capacityBytes));
        services.AddSingleton<IMetadataStore>(sp => new PullCachedMetadataStore(Inner(sp, store), sp.GetRequiredService<IRepositoryStamps>(),
            sp.GetRequiredService<PulledManifests>()));
        return services;
    }

    private static IMetadataStore Inner(IServiceProvider services, ServiceDescriptor store) =>
        (IMetadataStore)(store.ImplementationInstance
            ?? store.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, store.ImplementationType!));
}
