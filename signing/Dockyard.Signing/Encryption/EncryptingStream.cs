using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// Read-only stream of AES-256-CTR ciphertext over a plaintext stream, HMAC-SHA256-ing and SHA-256-hashing the
/// ciphertext as it goes out. <see cref="Hmac"/>, <see cref="CiphertextDigest"/> and <see cref="Length"/> are
/// known once the stream has returned 0.
/// </summary>
public sealed class EncryptingStream : Stream
{
    private readonly Stream plaintext;
    private readonly AesCtr ctr;
    private readonly IncrementalHash hmac;
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long written;
    private byte[]? mac;
    private Digest? digest;

    internal EncryptingStream(Stream plaintext, LayerKey key)
    {
        this.plaintext = plaintext;
        ctr = new AesCtr(key.SymmetricKey, key.Nonce);
        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.SymmetricKey);
    }

    /// <summary>The HMAC-SHA256 of the whole ciphertext.</summary>
    /// <exception cref="InvalidOperationException">The stream has not been read to its end.</exception>
    public byte[] Hmac => mac ?? throw NotFinished();

    /// <summary>The sha256 digest of the whole ciphertext.</summary>
    public Digest CiphertextDigest => digest ?? throw NotFinished();

    /// <summary>The ciphertext length (equal to the plaintext's); only complete once the stream has ended.</summary>
    public override long Length => mac is null ? throw NotFinished() : written;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Position { get => written; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = buffer.IsEmpty ? 0 : plaintext.Read(buffer);
        return Process(buffer[..n], buffer.IsEmpty);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = buffer.IsEmpty ? 0 : await plaintext.ReadAsync(buffer, cancellationToken);
        return Process(buffer.Span[..n], buffer.IsEmpty);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ctr.Dispose();
            hmac.Dispose();
            sha256.Dispose();
            plaintext.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Process(Span<byte> data, bool emptyRequest)
    {
        if (data.IsEmpty)
        {
            if (!emptyRequest && mac is null)
            {
                mac = hmac.GetHashAndReset();
                digest = Digest.FromHash(Digest.Sha256, sha256.GetHashAndReset());
            }
            return 0;
        }
        if (mac is not null)
        {
            throw new InvalidOperationException("the plaintext stream returned data after its end");
        }
        ctr.Transform(data);
        hmac.AppendData(data);
        sha256.AppendData(data);
        written += data.Length;
        return data.Length;
    }

    private static InvalidOperationException NotFinished() => new("the layer has not been read to its end yet");
}
