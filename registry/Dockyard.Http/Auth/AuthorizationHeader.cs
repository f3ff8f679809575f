using System.Text;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Auth;

/// <summary>The <c>Authorization</c> header, split into its Basic credentials or its bearer token.</summary>
public static class AuthorizationHeader
{
    // Throws on bytes that are not UTF-8 instead of reading them as U+FFFD, which would make many credentials one.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>User and password of a well-formed Basic header, whose credentials are UTF-8 text; null otherwise.</summary>
    public static (string User, string Password)? Basic(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var decoded = StrictUtf8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    public static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>The value of a Docker Registry V1 <c>Authorization: Token …</c> header; null for other schemes.</summary>
    public static string? V1Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Token ", StringComparison.OrdinalIgnoreCase) ? header[6..].Trim() : null;
    }

    public static bool IsPresent(HttpRequest request) => !string.IsNullOrEmpty(request.Headers.Authorization.ToString());
}
