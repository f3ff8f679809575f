using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Http.Responses;

/// <summary>
/// Sends a slice of a local file as the response body by reading it straight into the response pipe's memory, 1 MiB
/// at a time. Kestrel's SendFileAsync is not sendfile(2): it reads 16 KiB at a time through a FileStream and copies
/// again into the pipe; here each byte is copied once by the kernel into the pipe's buffer and once more into the
/// socket. (sendfile(2) itself measured slower on loopback than 1 MiB reads, so it is not worth bypassing Kestrel.)
/// </summary>
public static class LocalFileBody
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Opens <paramref name="path"/> for reading; null when it does not exist (a cache may have evicted it).</summary>
    public static SafeFileHandle? TryOpen(string? path)
    {
        if (path is null)
        {
            return null;
        }
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/>. Throws
    /// <see cref="EndOfStreamException"/> when the file is shorter: blobs are immutable, so that is corruption, and the
    /// connection must not be left waiting for bytes that will never come.
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        var end = offset + length;
        while (offset < end)
        {
            var want = (int)Math.Min(ChunkSize, end - offset);
            var memory = writer.GetMemory(want)[..want];
            var read = await RandomAccess.ReadAsync(file, memory, offset, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"file ended {end - offset} bytes early");
            }
            writer.Advance(read);
            offset += read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }
}
