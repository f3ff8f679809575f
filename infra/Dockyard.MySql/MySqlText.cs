using MySqlConnector;

namespace Dockyard.MySql;

/// <summary>
/// Column conversions shared by the MySQL stores. Times are DATETIME(6) in UTC: the server compares and orders them
/// itself, and microseconds keep every instant a client sends (the ports promise milliseconds).
/// </summary>
internal static class MySqlText
{
    public static DateTime Time(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>
    /// A cut-off for <c>column &lt; @cut</c> or <c>column &gt;= @cut</c>: rounded up to the microsecond, since the
    /// column holds whole microseconds and a parameter's sub-microsecond ticks would be cut off, moving the bound.
    /// </summary>
    public static DateTime CutOff(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        var remainder = ticks % TimeSpan.TicksPerMicrosecond;
        return new DateTime(remainder == 0 || ticks > DateTime.MaxValue.Ticks - TimeSpan.TicksPerMicrosecond ? ticks : ticks - remainder + TimeSpan.TicksPerMicrosecond,
            DateTimeKind.Utc);
    }

    public static DateTime Now() => DateTime.UtcNow;

    public static DateTimeOffset ReadTime(MySqlDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public static DateTimeOffset? NullableTime(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static string? Nullable(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
