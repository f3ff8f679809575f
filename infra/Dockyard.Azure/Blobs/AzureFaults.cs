using Azure;
using Dockyard.Core.Errors;

namespace Dockyard.Azure.Blobs;

/// <summary>Tells transient storage faults (unreachable service, 5xx, timeouts after the SDK's retries) from answers.</summary>
internal static class AzureFaults
{
    /// <summary>True for a fault worth retrying later: no answer at all, a server error, or a throttle.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient),
        HttpRequestException or TimeoutException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        _ => false,
    };

    public static StorageUnavailableException Unavailable(Exception e) =>
        new($"Azure Blob Storage is unavailable: {Flatten(e).Message}", e);

    public static bool IsStatus(RequestFailedException e, int status) => e.Status == status;

    private static Exception Flatten(Exception e) => e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1] : e;
}
