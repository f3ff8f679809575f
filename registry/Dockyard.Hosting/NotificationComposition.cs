using Dockyard.Core.Events;
using Dockyard.Hosting.Configuration;
using Dockyard.Hosting.Events;

namespace Dockyard.Hosting;

/// <summary>
/// Registers <c>[notifications]</c>: the endpoints, the HTTP sender and the delivery round the hosts schedule. The
/// queue itself comes with the metadata driver (<see cref="StorageComposition"/>). No endpoint: events are never built.
/// </summary>
public static partial class NotificationComposition
{
    public static void AddNotifications(IServiceCollection services, NotificationSettings settings, ILogger startupLogger)
    {
        var options = settings.ToOptions();
        services.AddSingleton(options);
        services.AddSingleton<IEventSender, HttpEventSender>();
        services.AddSingleton<NotificationRound>();
        foreach (var endpoint in options.Endpoints)
        {
            // Header values are left out: they are usually credentials.
            LogEndpoint(startupLogger, endpoint.Name, endpoint.Url, endpoint.Timeout.TotalMilliseconds, endpoint.Threshold,
                endpoint.Backoff.TotalMilliseconds, string.Join(", ", endpoint.Headers.Keys));
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "notifications: endpoint {Name} ({Url}), timeout {Timeout} ms, threshold {Threshold}, backoff {Backoff} ms, headers [{Headers}]")]
    private static partial void LogEndpoint(ILogger logger, string name, Uri url, double timeout, int threshold, double backoff, string headers);
}
