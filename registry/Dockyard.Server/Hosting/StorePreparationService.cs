using Dockyard.Core.Metadata;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Starts each store's preparation (the SQLite schema, <see cref="IStorePreparation"/>) as the host starts, beside
/// Kestrel instead of before it, so the first answer does not wait for it; requests that need the store wait in the
/// store, and <c>/readyz</c> says <c>starting</c>. A preparation that fails stops the host: a registry whose metadata
/// can never be read must not go on answering 503s. <see cref="Failure"/> then says why (the command's exit message).
/// </summary>
internal sealed partial class StorePreparationService(IEnumerable<IStorePreparation> preparations, IHostApplicationLifetime lifetime,
    ILogger<StorePreparationService> logger) : IHostedService
{
    private volatile Exception? failure;

    /// <summary>Why a store could not be prepared; null while none has failed.</summary>
    public Exception? Failure => failure;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var preparation in preparations)
        {
            _ = WatchAsync(preparation);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WatchAsync(IStorePreparation preparation)
    {
        try
        {
            await preparation.PrepareAsync();
        }
        catch (Exception e)
        {
            failure = e;
            LogFailed(logger, preparation.Store, e.Message, e);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "the {Store} metadata store could not be prepared, stopping: {Reason}")]
    private static partial void LogFailed(ILogger logger, string store, string reason, Exception error);
}
