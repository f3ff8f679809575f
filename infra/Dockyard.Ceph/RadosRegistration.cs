using Dockyard.Ceph.Native;
using Dockyard.Core.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Ceph;

/// <summary>Registers <see cref="RadosBlobStore"/> as the <see cref="IBlobStore"/> (<c>[dockyard] backend = rados</c>).</summary>
public static class RadosRegistration
{
    /// <summary>
    /// Validates the options and connects now, so that a wrong key or an unreachable cluster fails at start-up; the
    /// container disposes the store (and the connection) on shutdown.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or the cluster refused them; the message names the <c>[rados]</c> key.</exception>
    /// <exception cref="RadosUnavailableException">The cluster did not answer within the timeout; the message names the key.</exception>
    public static IServiceCollection AddRadosBlobStore(this IServiceCollection services, RadosBlobStoreOptions options)
    {
        var store = Open(options);
        return services.AddSingleton<IBlobStore>(_ => store);
    }

    /// <summary>Validates <paramref name="options"/>, connects and opens the pool (the exceptions of <see cref="AddRadosBlobStore"/>).</summary>
    public static RadosBlobStore Open(RadosBlobStoreOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }
        var where = $"[rados] conffile = '{options.ConfFile}', username = '{options.UserName}'";
        RadosCluster cluster;
        try
        {
            cluster = RadosCluster.Connect(options.ConfFile, options.Keyring, options.UserName, options.Timeout);
        }
        catch (RadosUnavailableException e)
        {
            throw new RadosUnavailableException(e.Errno, $"{where}: no answer from the cluster within {options.Timeout.TotalSeconds} s ([rados] timeout): {e.Message}");
        }
        catch (RadosException e)
        {
            throw new ArgumentException($"{where}{(string.IsNullOrWhiteSpace(options.Keyring) ? "" : $", keyring = '{options.Keyring}'")}: cannot connect: {e.Message}", nameof(options), e);
        }
        try
        {
            var pool = cluster.OpenPool(options.PoolName, options.Namespace);
            return new RadosBlobStore(pool, (int)options.ChunkSize, new Owned(pool, cluster));
        }
        catch (RadosException e)
        {
            cluster.Dispose();
            throw new ArgumentException($"[rados] poolname = '{options.PoolName}': cannot open the pool: {e.Message}", nameof(options), e);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    private sealed class Owned(RadosPool pool, RadosCluster cluster) : IDisposable
    {
        public void Dispose()
        {
            pool.Dispose();
            cluster.Dispose();
        }
    }
}
