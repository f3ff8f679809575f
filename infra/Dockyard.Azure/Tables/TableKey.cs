using System.Globalization;
using System.Text;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Turns any string into a legal PartitionKey/RowKey (no <c>/ \ # ?</c>, no control characters) such that ordinal
/// order is preserved: <c>Escape(a) &lt; Escape(b)</c> exactly when <c>a &lt; b</c> by UTF-16 code unit (which is
/// byte order for the ASCII names Dockyard stores), so a range query <c>RowKey gt Escape(after)</c> lists in the
/// same order as SQLite.
/// </summary>
/// <remarks>
/// The output is printable ASCII. Characters <c>!</c> to <c>}</c> stand for themselves, except the four forbidden
/// ones, which become their predecessor followed by the marker <c>~</c> (<c>#</c> → <c>"~</c>, <c>/</c> → <c>.~</c>,
/// <c>?</c> → <c>&gt;~</c>, <c>\</c> → <c>[~</c>): since the marker sorts above every character that can follow a
/// real predecessor, <c>a.b &lt; a/b &lt; a0</c> stays true. Space and the C0 controls become a space and two hex
/// digits (below <c>!</c>); <c>~</c> and every code unit above it become <c>}~</c> and four hex digits (above
/// <c>}</c>). <see cref="Join"/> separates the parts of a composite key with <c>" !"</c>, which no escaped string
/// contains and which sorts below all of them, so composite keys order part by part.
/// </remarks>
public static class TableKey
{
    /// <summary>Separates the parts of a composite key; never occurs inside an escaped part.</summary>
    public const string Separator = " !";

    /// <summary>Sorts just above <see cref="Separator"/>: the exclusive end of a prefix range.</summary>
    private const string SeparatorEnd = " \"";

    private const char Marker = '~';

    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case <= ' ':
                    builder.Append(' ').Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case '#' or '/' or '?' or '\\':
                    builder.Append((char)(c - 1)).Append(Marker);
                    break;
                case >= Marker:
                    builder.Append('}').Append(Marker).Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <exception cref="FormatException">The key is not the output of <see cref="Escape"/>.</exception>
    public static string Unescape(string key)
    {
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == ' ')
            {
                builder.Append((char)Hex(key, i + 1, 2));
                i += 2;
            }
            else if (i + 1 < key.Length && key[i + 1] == Marker)
            {
                if (c == '}')
                {
                    builder.Append((char)Hex(key, i + 2, 4));
                    i += 5;
                }
                else
                {
                    builder.Append((char)(c + 1));
                    i++;
                }
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>A composite key of escaped parts, ordered part by part.</summary>
    public static string Join(params string[] parts) => string.Join(Separator, parts.Select(Escape));

    /// <summary>Splits a key made by <see cref="Join"/> into its unescaped parts.</summary>
    public static string[] Split(string key) => [.. key.Split(Separator).Select(Unescape)];

    /// <summary>
    /// The exclusive bounds of every composite key that starts with <paramref name="parts"/> followed by at least one
    /// more part: <c>RowKey gt Low and RowKey lt High</c>.
    /// </summary>
    public static (string Low, string High) Range(params string[] parts)
    {
        var joined = Join(parts);
        return (joined + Separator, joined + SeparatorEnd);
    }

    private static int Hex(string key, int start, int length) =>
        start + length <= key.Length
            ? int.Parse(key.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : throw new FormatException($"truncated escape in table key '{key}'");
}
