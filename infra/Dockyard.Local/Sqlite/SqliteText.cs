using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>Column conversions shared by the SQLite stores.</summary>
internal static class SqliteText
{
    // Fixed-width UTC ISO 8601, so that text order is time order.
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
