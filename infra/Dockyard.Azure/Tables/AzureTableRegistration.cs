using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Dockyard.Core.Accounts;
using Dockyard.Core.Appc;
using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Events;
using Dockyard.Core.Metadata;
using Dockyard.Core.P2P;
using Dockyard.Core.Signatures;
using Dockyard.Core.V1;
using Dockyard.Core.Volumes;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Azure.Tables;

/// <summary>Registers registry metadata, UAM accounts, the notification queue, image signatures, Docker V1 images and appc ACIs in Azure Tables (<c>[db] driver = azuretables</c>).</summary>
public static class AzureTableRegistration
{
    /// <summary>
    /// Checks the options, reaches the table endpoint and creates the tables now, so that a wrong key or an
    /// unreachable service fails at start-up, then registers <see cref="IMetadataStore"/>, <see cref="IAccountStore"/>, <see cref="IEventQueue"/>,
    /// <see cref="IImageSignatureStore"/>, <see cref="IV1ImageStore"/> and <see cref="IAciStore"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the <c>[azure]</c> keys.</exception>
    /// <exception cref="InvalidOperationException">The tables cannot be reached or created; the message names <c>[azure] connectionstring</c>.</exception>
    public static IServiceCollection AddAzureTableMetadataStore(this IServiceCollection services, AzureTableOptions options)
    {
        ConnectOrThrow(options, options.StartupTimeout);
        var tables = AzureTables.FromOptions(options);
        return services.AddSingleton(tables)
            .AddSingleton<IMetadataStore>(sp => new AzureTableMetadataStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IAccountStore>(sp => new AzureTableAccountStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IEventQueue>(sp => new AzureTableEventQueue(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IImageSignatureStore>(sp => new AzureTableImageSignatureStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IV1ImageStore>(sp => new AzureTableV1ImageStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IAciStore>(sp => new AzureTableAciStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IVolumeLeaseStore>(sp => new AzureTableVolumeLeaseStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<IPeerDistributionStore>(sp => new AzureTablePeerDistributionStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<ISessionKeyStore>(sp => new AzureTableSessionKeyStore(sp.GetRequiredService<AzureTables>()))
            .AddSingleton<ICollectionHistory>(sp => new AzureTableCollectionHistory(sp.GetRequiredService<AzureTables>()));
    }

    private static void ConnectOrThrow(AzureTableOptions options, TimeSpan timeout)
    {
        // A client of its own without retries, so that an unreachable endpoint fails within the timeout.
        var probe = new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = timeout, Mode = RetryMode.Fixed } };
        var tables = AzureTables.FromOptions(options, probe);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            tables.CreateTablesAsync(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or StorageUnavailableException)
        {
            throw new InvalidOperationException(
                $"[azure] connectionstring: Azure Tables cannot be reached or its tables ('{options.TablePrefix}…') created within {timeout.TotalSeconds:0} s: {e.Message}", e);
        }
    }
}
