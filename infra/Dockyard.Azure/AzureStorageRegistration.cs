using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Dockyard.Azure.Blobs;
using Dockyard.Core.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Azure;

/// <summary>Registers the Azure Blob Storage backend.</summary>
public static class AzureStorageRegistration
{
    /// <summary>
    /// Connects to <paramref name="containerName"/> (creating it when missing) within <paramref name="startupTimeout"/>
    /// and registers an <see cref="AzureBlobStore"/> on it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string is malformed or the service does not answer in time.</exception>
    public static IServiceCollection AddAzureBlobStore(this IServiceCollection services, string connectionString, string containerName,
        AzureBlobStoreOptions options, TimeSpan startupTimeout)
    {
        var container = Connect(connectionString, containerName, startupTimeout);
        return services.AddSingleton<IBlobStore>(new AzureBlobStore(container, options));
    }

    /// <summary>A container client with the SDK's retries (a few seconds in all) after checking that the container can be reached.</summary>
    public static BlobContainerClient Connect(string connectionString, string containerName, TimeSpan startupTimeout)
    {
        BlobContainerClient container;
        try
        {
            container = new BlobContainerClient(connectionString, containerName, ClientOptions());
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"malformed connection string or container name: {e.Message}", e);
        }
        using var timeout = new CancellationTokenSource(startupTimeout);
        try
        {
            // The container is tiny to create and proves the endpoint, the credential and the name at once.
            container.CreateIfNotExists(cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException or HttpRequestException)
        {
            var why = e is OperationCanceledException ? $"no answer within {startupTimeout.TotalSeconds:0} s" : e.Message.Split('\n')[0];
            throw new InvalidOperationException($"cannot reach container '{containerName}' at {container.Uri}: {why}", e);
        }
        return container;
    }

    private static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return options;
    }
}
