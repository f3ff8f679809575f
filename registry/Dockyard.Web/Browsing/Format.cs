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

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
