using System.Buffers;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Bodies;

/// <summary>
/// The one way a body that is parsed in memory (a manifest, a JSON document, a key, a signature) is read: whole, but never
/// more than a limit, whatever its framing. A declared length over the limit is refused before reading; a chunked body is
/// refused as soon as one byte more than the limit has arrived, so at most limit + one read is ever buffered.
/// </summary>
public static class BoundedBody
{
    private const int ReadSize = 16 * 1024;

    /// <summary>All of <paramref name="body"/>; a 413 SIZE_INVALID (<see cref="RegistryErrorCode.BodyTooLarge"/>) naming
    /// <paramref name="what"/> when it is larger than <paramref name="limit"/> bytes.</summary>
    /// <param name="declaredLength">The length the sender declared (Content-Length); null when chunked or unknown.</param>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream body, long? declaredLength, int limit, string what, CancellationToken cancellationToken) =>
        await TryReadAsync(body, declaredLength, limit, cancellationToken)
        ?? throw new RegistryException(RegistryErrorCode.BodyTooLarge, $"{what} is larger than {limit} bytes", new { limit });

    /// <summary>All of <paramref name="body"/>; null when it is larger than <paramref name="limit"/> bytes (the rest is left unread).</summary>
    /// <param name="declaredLength">The length the sender declared (Content-Length); null when chunked or unknown.</param>
    public static async Task<ReadOnlyMemory<byte>?> TryReadAsync(Stream body, long? declaredLength, int limit, CancellationToken cancellationToken)
    {
        if (declaredLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream((int)(declaredLength ?? Math.Min(limit, ReadSize)));
        var chunk = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            int n;
            // Never ask for more than one byte beyond the limit: that byte alone proves the body too large.
            while ((n = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(ReadSize, limit + 1L - buffer.Length)), cancellationToken)) > 0)
            {
                if (buffer.Length + n > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
