using Dockyard.Core.Names;

namespace Dockyard.Core.Blobs;

/// <summary>Reads a small blob (a manifest) whole into memory, by its known size.</summary>
public static class SmallBlobReader
{
    /// <summary>The blob's <paramref name="size"/> bytes; null when the blob is missing or shorter than that.</summary>
    public static async ValueTask<byte[]?> ReadAsync(IBlobStore blobs, Digest digest, long size, CancellationToken cancellationToken)
    {
        if (blobs.GetLocalPath(digest) is { } path)
        {
            return ReadLocal(path, checked((int)size));
        }
        await using var stream = await blobs.OpenReadAsync(digest, 0, cancellationToken);
        if (stream is null)
        {
            return null;
        }
        var bytes = new byte[size];
        try
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            return bytes;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    // A local file (the default store) is read with one pread on this thread: a stream's asynchronous read hops to the
    // thread pool and allocates a read buffer, which dominates serving (or collecting) many small manifests.
    private static byte[]? ReadLocal(string path, int size)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            var bytes = new byte[size];
            for (var read = 0; read < size;)
            {
                var count = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (count == 0)
                {
                    return null;
                }
                read += count;
            }
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
