using Microsoft.AspNetCore.Http;

namespace Dockyard.Web.Assets;

/// <summary>Serves the one embedded stylesheet, versioned by its content so it may be cached for good.</summary>
public static class Stylesheet
{
    public const string Path = "/static/dockyard.css";

    private static readonly Lazy<byte[]> Content = new(() =>
    {
        using var stream = typeof(Stylesheet).Assembly.GetManifestResourceStream("Dockyard.Web.dockyard.css")
            ?? throw new InvalidOperationException("the stylesheet is not embedded in Dockyard.Web");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<string> Version = new(() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content.Value))[..12]);

    /// <summary>The stylesheet's URL with its content hash, for the layout's link.</summary>
    public static string Url => $"{Path}?v={Version.Value}";

    public static async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/css; charset=utf-8";
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.ContentLength = Content.Value.Length;
        await context.Response.Body.WriteAsync(Content.Value, context.RequestAborted);
    }
}
