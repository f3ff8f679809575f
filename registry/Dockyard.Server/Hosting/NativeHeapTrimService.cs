using System.Globalization;
using System.Runtime.InteropServices;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Once a second, when the process's resident memory has grown by <see cref="Growth"/> since it last looked, hands the
/// free memory of glibc's heaps back to the system (<c>malloc_trim</c>). The JIT's scratch memory and librados' copies
/// of the chunks it writes are malloc'd on whichever thread does the work, and each thread's arena keeps what is freed
/// (glibc raises its trim threshold after the first large free), so the peak RSS of a push grew by each arena's
/// high-water mark in turn (docs/benchmarks.md, issue 14, late evening). A process whose memory holds steady, idle or
/// under a steady load, is left alone.
/// </summary>
/// <remarks>Linux with glibc only; elsewhere (musl has no <c>malloc_trim</c>) it ends at its first trim.</remarks>
internal sealed partial class NativeHeapTrimService(ILogger<NativeHeapTrimService> logger) : BackgroundService
{
    /// <summary>How often the resident memory is looked at.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>The growth of resident memory since the last look that makes it trim, in bytes.</summary>
    internal const long Growth = 1 << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        var settled = ResidentBytes();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var resident = ResidentBytes();
            if (resident < settled + Growth)
            {
                settled = Math.Min(settled, resident);
                continue;
            }
            if (!TryTrim())
            {
                LogUnavailable(logger);
                return;
            }
            settled = ResidentBytes();
        }
    }

    /// <summary>The process's resident memory (the second field of /proc/self/statm, in pages).</summary>
    internal static long ResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ', 3);
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary>Trims every glibc arena now; false when the C library has no <c>malloc_trim</c>.</summary>
    internal static bool TryTrim()
    {
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LoggerMessage(Level = LogLevel.Debug, Message = "the C library has no malloc_trim; native heaps are left as they are")]
    private static partial void LogUnavailable(ILogger logger);
}
