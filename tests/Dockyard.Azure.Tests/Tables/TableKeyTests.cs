using Dockyard.Azure.Tables;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>The key escaping: legal Tables keys, reversible, and preserving ordinal order (no Azurite needed).</summary>
public sealed class TableKeyTests
{
    private static readonly string[] Samples =
    [
        "", "a", "a-b", "a.b", "a/b", "a0", "a_b", "ab", "a/b/c", "a.b/c", "a#b", "a?b", "a\\b", "a\"b", "a>b", "a[b", "a}", "a}~",
        "a~", "a~b", "a\u007fb", "a\u0080", "a\u00e9", "a\uffff", "a b", "a\tb", "a\0", " ", "!", "}", "~", "sha256:abc", "x/", "x.", "x./",
        "\ud83d\ude00", "a\u0001", "a ", "a !", "a \"",
    ];

    public static TheoryData<string> Each() => [.. Samples];

    [Theory]
    [MemberData(nameof(Each))]
    public void Escaped_keys_are_legal_printable_ascii_and_round_trip(string value)
    {
        var key = TableKey.Escape(value);

        Assert.All(key, c => Assert.InRange(c, ' ', '~'));
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?');
        Assert.DoesNotContain(TableKey.Separator, key);
        Assert.Equal(value, TableKey.Unescape(key));
    }

    [Fact]
    public void Escaping_preserves_ordinal_order()
    {
        foreach (var a in Samples)
        {
            foreach (var b in Samples)
            {
                Assert.True(Math.Sign(string.CompareOrdinal(a, b)) == Math.Sign(string.CompareOrdinal(TableKey.Escape(a), TableKey.Escape(b))),
                    $"'{a}' vs '{b}' -> '{TableKey.Escape(a)}' vs '{TableKey.Escape(b)}'");
            }
        }
    }

    [Fact]
    public void Composite_keys_order_part_by_part_and_fall_inside_their_prefix_range()
    {
        var pairs = Samples.SelectMany(a => Samples.Select(b => (a, b))).ToList();
        var byParts = pairs.OrderBy(p => p.a, StringComparer.Ordinal).ThenBy(p => p.b, StringComparer.Ordinal).Select(p => TableKey.Join(p.a, p.b));
        var byKey = pairs.Select(p => TableKey.Join(p.a, p.b)).Order(StringComparer.Ordinal);

        Assert.Equal(byParts, byKey);
        foreach (var (a, b) in pairs)
        {
            var (low, high) = TableKey.Range(a);
            var key = TableKey.Join(a, b);
            Assert.True(string.CompareOrdinal(key, low) >= 0 && string.CompareOrdinal(key, high) < 0, $"'{key}' outside [{low}, {high})");
            Assert.Equal([a, b], TableKey.Split(key));
            foreach (var other in Samples.Where(o => o != a))
            {
                Assert.False(string.CompareOrdinal(TableKey.Join(other, b), low) >= 0 && string.CompareOrdinal(TableKey.Join(other, b), high) < 0,
                    $"'{TableKey.Join(other, b)}' inside the range of '{a}'");
            }
        }
    }
}
