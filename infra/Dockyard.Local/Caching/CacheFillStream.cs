using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Local.Caching;

/// <summary>
/// Reads a whole blob from the remote store while copying every byte into a temporary file and hashing it. Once
/// <c>size</c> bytes have passed and their digest matches, the file is handed to <c>complete</c> (which moves it into
/// the cache); a reader that stops early, a failed read or a wrong digest leaves nothing cached.
/// </summary>
internal sealed class CacheFillStream(Stream inner, Digest digest, long size, string tempPath, Action<string> complete) : Stream
{
    private readonly FileStream file = new(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    private readonly IncrementalHash hash = Digest.CreateHash(digest.Algorithm);
    private long copied;
    private bool finished;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => copied; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        if (!finished && n > 0)
        {
            await file.WriteAsync(buffer[..n], cancellationToken);
            hash.AppendData(buffer.Span[..n]);
            copied += n;
            if (copied == size)
            {
                Finish();
            }
        }
        else if (!finished && n == 0 && copied == size)
        {
            Finish();
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Finish()
    {
        finished = true;
        file.Dispose();
        if (Digest.FromHash(digest.Algorithm, hash.GetHashAndReset()) == digest)
        {
            complete(tempPath);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
            hash.Dispose();
            inner.Dispose();
            if (!File.Exists(tempPath))
            {
                return;
            }
            try
            {
                File.Delete(tempPath); // not moved into the cache: incomplete or wrong
            }
            catch (IOException)
            {
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        Dispose();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
