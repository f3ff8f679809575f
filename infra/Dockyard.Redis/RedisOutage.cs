using Dockyard.Core.Telemetry;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Dockyard.Redis;

/// <summary>
/// Whether Redis answers, as the last operation of the login throttle or the pull cache found: logs a warning once when it stops answering and once when it
/// answers again (not on every login or pull in between), and counts every operation that had to do without it in
/// <c>dockyard_storage_errors_total{backend="redis"}</c>.
/// </summary>
internal sealed partial class RedisOutage(ILogger<RedisOutage> logger)
{
    private int down;

    /// <summary>True while the last operation failed.</summary>
    public bool IsDown => Volatile.Read(ref down) == 1;

    /// <summary>True for the failures that mean Redis cannot serve now (down, unreachable, too slow, refusing),
    /// as opposed to a bug in the caller.</summary>
    public static bool IsUnavailable(Exception e) => e is RedisException or TimeoutException;

    public void Failed(Exception e)
    {
        RegistryMeter.StorageError("redis");
        if (Interlocked.Exchange(ref down, 1) == 0)
        {
            LogUnavailable(logger, e.Message, e);
        }
    }

    public void Answered()
    {
        if (IsDown && Interlocked.Exchange(ref down, 0) == 1)
        {
            LogRecovered(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis ([db] redis) is unavailable: {Reason}. Until it answers again, login throttling counts on this node alone (logins keep working), pulls skip the node's cache ([db] pullcache) and tag and manifest deletes and moves answer 503")]
    private static partial void LogUnavailable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis ([db] redis) answers again; login throttling counts across nodes again, and pulls may use the node's cache")]
    private static partial void LogRecovered(ILogger logger);
}
