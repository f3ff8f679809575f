using Dockyard.Core.Errors;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Tells a disk that cannot take or give bytes for now (full, over quota, failing) from answers such as a missing
/// file, which stay what they are (a missing blob is a 404, not a 503).
/// </summary>
internal static class DiskFaults
{
    // Linux errno values: .NET raises a plain IOException for them with the errno as its HResult (other platforms'
    // codes do not collide with these small numbers, so there the mapping simply does not apply).
    private const int EIo = 5, ENoSpc = 28, EDQuot = 122;

    public static bool IsTransient(Exception e) => e is IOException { HResult: EIo or ENoSpc or EDQuot };

    /// <summary>Runs a disk operation, turning a full or failing disk into <see cref="StorageUnavailableException"/>.</summary>
    public static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (IOException e) when (IsTransient(e))
        {
            throw new StorageUnavailableException($"the blob disk is unavailable: {e.Message}", e, "filesystem");
        }
    }

    /// <inheritdoc cref="Guard{T}(Func{Task{T}})"/>
    public static Task Guard(Func<Task> operation) => Guard(async () =>
    {
        await operation();
        return true;
    });
}
