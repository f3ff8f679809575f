using Dockyard.Core.Errors;

namespace Dockyard.Core.Paging;

/// <summary>
/// The <c>n</c> and <c>last</c> query parameters of tag and catalog listings. <see cref="Limit"/> is null when the
/// client asked for everything (the registry still caps a page at <see cref="MaxLimit"/>).
/// </summary>
public sealed record PageRequest(int? Limit, string? After)
{
    public const int MaxLimit = 10_000;

    /// <exception cref="RegistryException">PAGINATION_NUMBER_INVALID when n is not a non-negative integer.</exception>
    public static PageRequest Parse(string? n, string? last)
    {
        int? limit = null;
        if (!string.IsNullOrEmpty(n))
        {
            if (!int.TryParse(n, System.Globalization.NumberStyles.None, null, out var parsed))
            {
                throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, "n must be a non-negative integer", new { n });
            }
            limit = parsed;
        }
        return new PageRequest(limit, string.IsNullOrEmpty(last) ? null : last);
    }

    public int EffectiveLimit => Math.Min(Limit ?? MaxLimit, MaxLimit);
}

/// <summary>One page of names; <see cref="HasMore"/> says a further page exists (the Link header's cue).</summary>
public sealed record Page(IReadOnlyList<string> Items, bool HasMore);
