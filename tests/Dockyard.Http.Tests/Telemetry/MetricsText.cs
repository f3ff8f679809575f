using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Http.Tests.Telemetry;

/// <summary>Reads samples out of a Prometheus text exposition (as a scraper would), by metric name and labels.</summary>
internal static partial class MetricsText
{
    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when none.</summary>
    public static double Value(string text, string name, params (string Key, string Value)[] labels) =>
        Samples(text, name).Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public static IEnumerable<(Dictionary<string, string> Labels, double Value)> Samples(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (match.Success && match.Groups["name"].Value == name)
            {
                var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                yield return (labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
            }
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
