using Azure;
using Dockyard.Core.Errors;

namespace Dockyard.Azure;

/// <summary>
/// Tells transient Azure Storage faults (unreachable service, a server error or throttle, timeouts after the SDK's
/// retries) from answers, for the blob store and the tables alike.
/// </summary>
internal static class AzureFaults
{
    /// <summary>
    /// True for a status worth retrying later: no answer (0), a timeout, a throttle (429, 503 ServerBusy) or a server
    /// error. 501 and 505 are not among them: the same request would fail the same way forever.
    /// </summary>
    public static bool IsTransientStatus(int status) => status is 0 or 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>True for a fault worth retrying later: no answer at all, a server error, or a throttle.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => IsTransientStatus(r.Status),
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient),
        HttpRequestException or TimeoutException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        _ => false,
    };

    /// <param name="service">The service for the message, e.g. "Azure Blob Storage".</param>
    /// <param name="backend">The backend as the metrics name it: azureblob or azuretables.</param>
    public static StorageUnavailableException Unavailable(string service, string backend, Exception e) =>
        new($"{service} is unavailable: {Flatten(e).Message}", e, backend);

    private static Exception Flatten(Exception e) => e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1] : e;
}
