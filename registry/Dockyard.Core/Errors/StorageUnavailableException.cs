namespace Dockyard.Core.Errors;

/// <summary>
/// A storage backend that cannot be reached right now (a Ceph OSD restarting, Azurite down, a timeout). Nothing was
/// made visible by the failed operation, so the client may retry: the HTTP layer answers 503 with Retry-After.
/// </summary>
public class StorageUnavailableException(string message, Exception? inner = null) : IOException(message, inner);
