using System.Globalization;

namespace Dockyard.Core.Metadata;

/// <summary>
/// The one-string form of an upload's part list (<c>id:size,id:size</c>) that stores keep in a single column or
/// property, so that committing a part stays one conditional write of one row.
/// </summary>
public static class UploadPartsText
{
    /// <summary>The parts in order; an empty string for none. Throws <see cref="ArgumentException"/> for an id holding a separator.</summary>
    public static string Format(IReadOnlyList<UploadPart> parts) => string.Join(',', parts.Select(FormatPart));

    /// <summary>The parts of a string made by <see cref="Format"/>; none for an empty string.</summary>
    public static UploadPart[] Parse(string text) =>
        text.Length == 0
            ? []
            : [.. text.Split(',').Select(p =>
            {
                var colon = p.LastIndexOf(':');
                return new UploadPart(p[..colon], long.Parse(p.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture));
            })];

    /// <summary>One part as <see cref="Format"/> writes it, for stores that append to the list in place.</summary>
    public static string FormatPart(UploadPart part)
    {
        // The separators cannot be part of an id.
        if (part.Id.Length == 0 || part.Id.AsSpan().IndexOfAny(':', ',') >= 0)
        {
            throw new ArgumentException("invalid part id", nameof(part));
        }
        return part.Id + ":" + part.Size.ToString(CultureInfo.InvariantCulture);
    }
}
