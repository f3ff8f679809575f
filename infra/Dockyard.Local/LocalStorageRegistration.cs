using Dockyard.Core.Accounts;
using Dockyard.Core.Appc;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Events;
using Dockyard.Core.Metadata;
using Dockyard.Core.Metadata.PullCache;
using Dockyard.Core.P2P;
using Dockyard.Core.Signatures;
using Dockyard.Core.V1;
using Dockyard.Core.Volumes;
using Dockyard.Local.Caching;
using Dockyard.Local.FileSystem;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Accounts;
using Dockyard.Local.Sqlite.Events;
using Dockyard.Local.Sqlite.V1;
using Dockyard.Local.Sqlite.Appc;
using Dockyard.Local.Sqlite.Signatures;
using Dockyard.Local.Sqlite.Volumes;
using Dockyard.Local.Sqlite.P2P;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Local;

/// <summary>Registers the embedded default backends: blobs on local disk, metadata in SQLite.</summary>
public static class LocalStorageRegistration
{
    private static readonly Type[] SqlitePorts =
    [
        typeof(IMetadataStore), typeof(IAccountStore), typeof(IV1ImageStore), typeof(IAciStore), typeof(IImageSignatureStore), typeof(IEventQueue),
        typeof(IVolumeLeaseStore), typeof(IPeerDistributionStore), typeof(ISessionKeyStore), typeof(ICollectionHistory),
    ];

    /// <param name="dataPath">The data folder (<c>[dockyard] path</c>); blobs under it, metadata in its <c>metadata.db</c>.</param>
    public static IServiceCollection AddFileSystemBlobStore(this IServiceCollection services, string dataPath) =>
        services.AddSingleton<IBlobStore>(_ => new FileSystemBlobStore(dataPath));

    /// <summary>
    /// Puts a <see cref="CachedBlobStore"/> in front of the blob store registered last (call it after the backend's
    /// registration method).
    /// </summary>
    /// <param name="cachePath">The cache folder.</param>
    /// <param name="maxBytes">The size bound of the cache; least recently used blobs are evicted past it.</param>
    public static IServiceCollection AddBlobReadCache(this IServiceCollection services, string cachePath, long maxBytes)
    {
        var remote = services.LastOrDefault(d => d.ServiceType == typeof(IBlobStore))
            ?? throw new InvalidOperationException("register a blob store before its read cache");
        services.Remove(remote);
        return services.AddSingleton<IBlobStore>(sp => new CachedBlobStore(Resolve(sp, remote), cachePath, maxBytes));
    }

    private static IBlobStore Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IBlobStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>Registry metadata, UAM accounts, Docker Registry V1 images, appc ACI metadata, stored image signatures, the notification queue, volume leases, the P2P tracker, the web UI's session keys and the GC run history in one SQLite file.</summary>
    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="options">How the file is used; null for the defaults.</param>
    /// <remarks>
    /// The schema is deferred (<see cref="SqliteDatabaseOptions.DeferSchema"/>): registered as an
    /// <see cref="IStorePreparation"/> the host starts beside Kestrel; without a host that does, the first statement starts it.
    /// </remarks>
    public static IServiceCollection AddSqliteMetadataStore(this IServiceCollection services, string databasePath, SqliteDatabaseOptions? options = null) =>
        services.AddSingleton(_ => new SqliteDatabase(databasePath, new SqliteDatabaseOptions { BusyTimeout = (options ?? new()).BusyTimeout, DeferSchema = true }))
            .AddSingleton<IStorePreparation>(sp =>
            {
                // Each store queues its schema steps when it is built: building them all now makes one run create the
                // whole file, instead of a store first used later (the web UI's keys) creating its tables then.
                foreach (var port in SqlitePorts)
                {
                    sp.GetService(port);
                }
                return sp.GetRequiredService<SqliteDatabase>();
            })
            .AddSingleton<IMetadataStore>(sp => new SqliteMetadataStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IRepositoryStamps>(sp => new SqliteRepositoryStamps(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IAccountStore>(sp => new SqliteAccountStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IV1ImageStore>(sp => new SqliteV1ImageStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IAciStore>(sp => new SqliteAciStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IImageSignatureStore>(sp => new SqliteImageSignatureStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IEventQueue>(sp => new SqliteEventQueue(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IVolumeLeaseStore>(sp => new SqliteVolumeLeaseStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IPeerDistributionStore>(sp => new SqlitePeerDistributionStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<ISessionKeyStore>(sp => new SqliteSessionKeyStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<ICollectionHistory>(sp => new SqliteCollectionHistory(sp.GetRequiredService<SqliteDatabase>()));
}
