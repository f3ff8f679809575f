using System.Globalization;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Times as stored in the metadata file: round-trip text in UTC, so that text order is time order and the collector's
/// cut-offs are plain comparisons in SQL.
/// </summary>
internal static class SqliteTime
{
    public static string Now() => Format(DateTimeOffset.UtcNow);

    public static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
