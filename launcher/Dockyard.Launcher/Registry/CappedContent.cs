namespace Dockyard.Launcher.Registry;

/// <summary>
/// Reads a response body into memory only up to a limit. A registry (or anything answering in its place) decides how
/// many bytes it sends; HttpClient's own buffer cap is one value for the whole client (2 GiB by default), while a
/// manifest, a token answer or an error body each has its own sensible bound.
/// </summary>
internal static class CappedContent
{
    /// <summary>Error bodies and token answers: far above any real one.</summary>
    public const int SmallJsonBytes = 1024 * 1024;

    /// <summary>The body's bytes.</summary>
    /// <exception cref="LaunchException">The body is longer than <paramref name="limit"/> bytes (by its Content-Length or as read).</exception>
    public static async Task<byte[]> ReadAsync(HttpContent content, int limit, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(what, limit);
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(what, limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static LaunchException TooLarge(string what, int limit) =>
        new(LaunchFailure.Registry, $"the registry sent more than {limit} bytes for {what}");
}
