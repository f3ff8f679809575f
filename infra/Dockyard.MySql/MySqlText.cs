using MySqlConnector;

namespace Dockyard.MySql;

/// <summary>
/// Column conversions shared by the MySQL stores. Times are DATETIME(6) in UTC: the server compares and orders them
/// itself, and microseconds keep every instant a client sends (the ports promise milliseconds).
/// </summary>
internal static class MySqlText
{
    public static DateTime Time(DateTimeOffset value) => value.UtcDateTime;

    public static DateTime Now() => DateTime.UtcNow;

    public static DateTimeOffset ReadTime(MySqlDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public static DateTimeOffset? NullableTime(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static string? Nullable(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
