using System.Globalization;
using Dockyard.Core.Names;

namespace Dockyard.Web.Browsing;

/// <summary>How the pages write sizes, digests and times.</summary>
public static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(long size)
    {
        double value = size;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{size} B" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>The algorithm and the first 12 hex digits; the page gives the full digest in a title or a copyable field.</summary>
    public static string ShortDigest(Digest digest) => $"{digest.Algorithm}:{digest.Hex[..12]}";

    /// <summary>Milliseconds under a second, seconds with one decimal under a minute, then minutes and seconds, then hours and minutes.</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms",
        < 60 => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => $"{(int)span.TotalHours} h {span.Minutes} min",
    };

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
