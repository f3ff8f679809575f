using System.Text.Json;
using System.Text.Unicode;

namespace Dockyard.Core.Bodies;

/// <summary>
/// Parses JSON that a client sent and refuses strings that are not text. System.Text.Json accepts invalid UTF-8 and
/// escaped halves of surrogate pairs (<c>"\ud800"</c>) when parsing and only throws InvalidOperationException when such a
/// string is read, which would turn a client's fault into a 500; here it is a <see cref="JsonException"/> like any other
/// malformed JSON, before any handler reads a field.
/// </summary>
public static class StrictJson
{
    /// <exception cref="JsonException">Not JSON, or a string or property name that is not valid Unicode text.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        RequireText(json.Span);
        return JsonDocument.Parse(json);
    }

    private static void RequireText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsText(ref reader))
            {
                throw new JsonException($"the string at byte {reader.TokenStartIndex} is not text (invalid UTF-8, or half of a \\u surrogate pair)");
            }
        }
    }

    private static bool IsText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }
        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
