using System.Globalization;

namespace Dockyard.Hosting.Configuration;

/// <summary>Durations as Distribution's configuration writes them (<c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>); a bare number is seconds.</summary>
public static class DurationText
{
    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    /// <summary>The duration; null when the text is none of those forms or is negative.</summary>
    public static TimeSpan? Parse(string? text)
    {
        var value = (text ?? "").Trim().ToLowerInvariant();
        var scale = 1.0;
        foreach (var (suffix, seconds) in Units)
        {
            // "ms" is tried before "s" and "m", so 500ms is never read as 500m or 500s.
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value[..^suffix.Length];
                scale = seconds;
                break;
            }
        }
        return double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) && number >= 0 && number * scale < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(number * scale)
            : null;
    }
}
