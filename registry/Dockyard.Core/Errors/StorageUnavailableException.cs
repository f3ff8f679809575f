namespace Dockyard.Core.Errors;

/// <summary>
/// A storage backend (blob store, metadata store) that could not be reached or failed transiently after its own
/// retries (a Ceph OSD restarting, Azurite down, a timeout): the operation left nothing visible and may be retried as
/// it is. The HTTP layer answers 503 UNAVAILABLE with Retry-After, which clients treat as retryable; it is not a bug,
/// unlike other exceptions. Backends may derive their own (e.g. RadosUnavailableException).
/// </summary>
/// <param name="backend">The backend that failed, as the metrics name it (filesystem, sqlite, azureblob, azuretables, rados); unknown when not given.</param>
public class StorageUnavailableException(string message, Exception? inner = null, string backend = "unknown") : IOException(message, inner)
{
    /// <summary>The backend that failed (filesystem, sqlite, azureblob, azuretables, rados); <c>unknown</c> when the thrower did not say.</summary>
    public string Backend { get; } = backend;
}
