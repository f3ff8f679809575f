namespace Dockyard.Core.Errors;

/// <summary>
/// A storage backend (blob store, metadata store) that could not be reached or failed transiently after its own
/// retries: the operation did not happen (or left nothing visible) and may be retried as it is. The HTTP layer answers
/// 503 UNAVAILABLE with Retry-After, which clients treat as retryable; it is not a bug, unlike other exceptions.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
