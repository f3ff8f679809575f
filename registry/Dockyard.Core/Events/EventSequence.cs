using System.Globalization;
using System.Security.Cryptography;

namespace Dockyard.Core.Events;

/// <summary>
/// Sortable queue positions: UTC ticks (19 digits, never repeating or going back within a process) then a random
/// suffix that keeps two nodes' positions apart. Ordinal order is enqueue order within a node and time order across
/// nodes (as far as their clocks agree), so a queue sorted by key is the order events happened in.
/// </summary>
public static class EventSequence
{
    private static long last;

    public static string Next(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcTicks;
        long ticks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref last);
            ticks = Math.Max(now, seen + 1);
        }
        while (Interlocked.CompareExchange(ref last, ticks, seen) != seen);
        return ticks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }
}
