using System.Text.Json;
using System.Text.Unicode;

namespace Dockyard.Core;

/// <summary>
/// Parses JSON a client sent (manifests, V1 bodies, ACI manifests). <see cref="JsonDocument"/> accepts invalid UTF-8
/// and unpaired <c>\uD800</c> escapes inside strings and only fails when a string is read, with an
/// <see cref="InvalidOperationException"/> that would surface as a 500; here both are refused while parsing, so every
/// later <c>GetString</c> and property name is safe.
/// </summary>
public static class ClientJson
{
    /// <summary>The parsed document; the caller disposes it.</summary>
    /// <exception cref="JsonException">The bytes are not JSON, not UTF-8, or hold a string that does not decode.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        if (!Utf8.IsValid(utf8.Span))
        {
            throw new JsonException("the JSON is not valid UTF-8");
        }
        var document = JsonDocument.Parse(utf8);
        try
        {
            RequireDecodableEscapes(utf8.Span);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    // Only escaped strings can still fail to decode once the bytes are valid UTF-8 (a lone surrogate escape).
    private static void RequireDecodableEscapes(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException e)
                {
                    throw new JsonException($"a string at byte {reader.TokenStartIndex} does not decode: {e.Message}", e);
                }
            }
        }
    }
}
