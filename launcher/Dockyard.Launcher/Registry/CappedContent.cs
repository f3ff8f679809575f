using Dockyard.Core.Bodies;

namespace Dockyard.Launcher.Registry;

/// <summary>
/// Reads a response body into memory only up to a limit (through Core's <see cref="BoundedBody"/>). A registry (or
/// anything answering in its place) decides how many bytes it sends; HttpClient's own buffer cap is one value for the
/// whole client (2 GiB by default), while a manifest, a token answer or an error body each has its own sensible bound.
/// </summary>
internal static class CappedContent
{
    /// <summary>Error bodies and token answers: far above any real one.</summary>
    public const int SmallJsonBytes = 1024 * 1024;

    /// <summary>The body's bytes.</summary>
    /// <exception cref="LaunchException">The body is longer than <paramref name="limit"/> bytes (by its Content-Length or as read).</exception>
    public static async Task<byte[]> ReadAsync(HttpContent content, int limit, string what, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        return (await BoundedBody.TryReadAsync(stream, content.Headers.ContentLength, limit, cancellationToken))?.ToArray()
            ?? throw new LaunchException(LaunchFailure.Registry, $"the registry sent more than {limit} bytes for {what}");
    }
}
