using Dockyard.Core.Accounts;
using Dockyard.Core.Appc;
using Dockyard.Core.Collection;
using Dockyard.Core.Events;
using Dockyard.Core.Metadata;
using Dockyard.Core.P2P;
using Dockyard.Core.Signatures;
using Dockyard.Core.V1;
using Dockyard.Core.Volumes;
using Dockyard.MySql.Accounts;
using Dockyard.MySql.Appc;
using Dockyard.MySql.Events;
using Dockyard.MySql.P2P;
using Dockyard.MySql.Schema;
using Dockyard.MySql.Signatures;
using Dockyard.MySql.Volumes;
using Dockyard.MySql.V1;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace Dockyard.MySql;

/// <summary>Registers registry metadata, UAM accounts, Docker V1 images, appc ACIs, image signatures, the notification queue and the P2P tracker on MySQL/MariaDB (<c>[db] driver = mysql</c>).</summary>
public static class MySqlRegistration
{
    /// <summary>
    /// Checks the options, connects and brings the schema up to date now (see <see cref="MySqlMigrator"/>), so that a
    /// wrong key or an unreachable server fails at start-up, then registers every metadata port on one <see cref="MySqlDatabase"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the <c>[db]</c> keys.</exception>
    /// <exception cref="InvalidOperationException">The server cannot be reached, refuses the login or the schema cannot be applied within <paramref name="startupTimeout"/>.</exception>
    public static IServiceCollection AddMySqlMetadataStore(this IServiceCollection services, MySqlStoreOptions options, TimeSpan startupTimeout)
    {
        var db = Open(options, startupTimeout);
        return services.AddSingleton(db)
            .AddSingleton<IMetadataStore>(sp => new MySqlMetadataStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IAccountStore>(sp => new MySqlAccountStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IV1ImageStore>(sp => new MySqlV1ImageStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IAciStore>(sp => new MySqlAciStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IImageSignatureStore>(sp => new MySqlImageSignatureStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IEventQueue>(sp => new MySqlEventQueue(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IVolumeLeaseStore>(sp => new MySqlVolumeLeaseStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<IPeerDistributionStore>(sp => new MySqlPeerDistributionStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<ISessionKeyStore>(sp => new MySqlSessionKeyStore(sp.GetRequiredService<MySqlDatabase>()))
            .AddSingleton<ICollectionHistory>(sp => new MySqlCollectionHistory(sp.GetRequiredService<MySqlDatabase>()));
    }

    /// <summary>A database with the current schema, as <see cref="AddMySqlMetadataStore"/> opens it.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The server or the schema is not usable within <paramref name="startupTimeout"/>.</exception>
    public static MySqlDatabase Open(MySqlStoreOptions options, TimeSpan startupTimeout)
    {
        if (options.Validate().ToList() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("\n", errors));
        }
        var db = new MySqlDatabase(options);
        using var cts = new CancellationTokenSource(startupTimeout);
        try
        {
            MySqlMigrator.MigrateAsync(db, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is MySqlException or OperationCanceledException or TimeoutException or IOException)
        {
            throw new InvalidOperationException(
                $"[db] uri = '{options.Uri}', name = '{options.Database}': MySQL cannot be reached, refused user '{options.User}' or its schema could not be applied within {startupTimeout.TotalSeconds:0} s: {e.Message}", e);
        }
        return db;
    }
}
