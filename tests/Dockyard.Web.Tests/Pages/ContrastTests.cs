using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Web.Tests.Pages;

/// <summary>
/// Readable contrast: every text colour the shipped stylesheet puts on a background reaches WCAG 2's 4.5:1 for normal
/// text (AA). Read from the stylesheet the server sends, so a colour changed there is checked here.
/// </summary>
public sealed partial class ContrastTests
{
    private const double NormalText = 4.5;

    // (text, background, where the stylesheet combines them); colours are :root variables or literal hex values.
    private static readonly (string Text, string Background, string Where)[] Pairs =
    [
        ("--ink", "--bg", "body text"),
        ("--muted", "--bg", "crumbs, hints, fact labels"),
        ("--link", "--bg", "links"),
        ("--ok", "--bg", "public badge"),
        ("--warn", "--bg", "private badge, errors, danger links, over-quota figures"),
        ("#fff", "--band", "the top bar and its links, buttons"),
        ("#fff", "--warn", "danger buttons"),
        ("--ink", "--soft", "table headers, code blocks"),
        ("--link", "--soft", "links in table headers"),
        ("--muted", "--soft", "muted text in table headers"),
        ("--ink", "#e6f4ea", "notices"),
    ];

    [Fact]
    public async Task Every_text_colour_the_stylesheet_uses_has_at_least_4_5_to_1_contrast_on_its_background()
    {
        await using var registry = await WebRegistry.StartAsync(standalone: true);
        using var session = new WebSession(registry.BaseAddress);
        var (_, html) = await session.GetAsync("/");
        var href = StylesheetLink().Match(html).Groups["href"].Value;
        Assert.False(string.IsNullOrEmpty(href), "the page links no stylesheet");
        var css = await session.Client.GetStringAsync(href);
        var variables = RootVariable().Matches(RootBlock().Match(css).Value)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim());

        var failures = new List<string>();
        foreach (var (text, background, where) in Pairs)
        {
            var ratio = Contrast(Resolve(text, variables), Resolve(background, variables));
            if (ratio < NormalText)
            {
                failures.Add($"{where}: {text} on {background} is {ratio:F2}:1");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void The_contrast_formula_gives_WCAGs_reference_values()
    {
        Assert.Equal(21.0, Contrast("#000000", "#ffffff"), 2);
        Assert.Equal(1.0, Contrast("#777777", "#777777"), 2);
        // WCAG's own example: #777 on white is just under 4.5:1.
        Assert.Equal(4.48, Contrast("#777777", "#ffffff"), 2);
    }

    private static string Resolve(string colour, IReadOnlyDictionary<string, string> variables) =>
        colour.StartsWith("--", StringComparison.Ordinal)
            ? variables.TryGetValue(colour, out var value) ? value : throw new InvalidOperationException($"the stylesheet defines no {colour}")
            : colour;

    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    // WCAG 2 relative luminance of an sRGB colour written #rgb or #rrggbb.
    private static double Luminance(string hex)
    {
        var digits = hex.TrimStart('#');
        if (digits.Length == 3)
        {
            digits = string.Concat(digits.Select(c => $"{c}{c}"));
        }
        Assert.True(digits.Length == 6, $"'{hex}' is not a hex colour");
        double Channel(int i)
        {
            var c = int.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(0) + 0.7152 * Channel(1) + 0.0722 * Channel(2);
    }

    [GeneratedRegex("""<link rel="stylesheet" href="(?<href>[^"]+)">""")]
    private static partial Regex StylesheetLink();

    [GeneratedRegex(@":root\s*\{[^}]*\}")]
    private static partial Regex RootBlock();

    [GeneratedRegex(@"(?<name>--[a-z]+)\s*:\s*(?<value>[^;]+);")]
    private static partial Regex RootVariable();
}
