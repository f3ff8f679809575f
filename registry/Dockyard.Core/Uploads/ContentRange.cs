using Dockyard.Core.Errors;

namespace Dockyard.Core.Uploads;

/// <summary>The inclusive byte range a chunked PATCH claims to carry (<c>Content-Range: start-end</c>).</summary>
public readonly record struct ContentRange(long Start, long End)
{
    public long Length => End - Start + 1;

    /// <summary>
    /// Parses <c>start-end</c>, also accepting the <c>bytes start-end/total</c> form some clients send. Null text
    /// means no header. Anything else is a 416 RANGE_INVALID.
    /// </summary>
    public static ContentRange? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var value = text.Trim();
        if (value.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            value = value[6..].Trim();
        }
        var slash = value.IndexOf('/');
        if (slash >= 0)
        {
            value = value[..slash];
        }
        var dash = value.IndexOf('-');
        if (dash <= 0 || !long.TryParse(value.AsSpan(0, dash), out var start) || !long.TryParse(value.AsSpan(dash + 1), out var end)
            || start < 0 || end < start)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "invalid Content-Range", new { contentRange = text });
        }
        return new ContentRange(start, end);
    }

    /// <summary>
    /// Refuses a chunk that does not start where the upload's <paramref name="uploadSize"/> committed bytes end (416
    /// RANGE_INVALID, the upload unchanged) or whose <paramref name="contentLength"/> (null when absent) says otherwise (400).
    /// </summary>
    public void RequireContinues(long uploadSize, long? contentLength)
    {
        if (Start != uploadSize)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "chunk does not start where the upload ends",
                new { expectedStart = uploadSize, start = Start });
        }
        if (contentLength is { } declared && declared != Length)
        {
            throw new RegistryException(RegistryErrorCode.SizeInvalid, "Content-Length does not match Content-Range",
                new { contentLength = declared, range = Length });
        }
    }
}
