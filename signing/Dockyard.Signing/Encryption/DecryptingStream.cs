using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// Read-only stream of the plaintext of an AES_256_CTR_HMAC_SHA256 layer. Ciphertext is read a chunk ahead: a
/// decrypted chunk is released only once the next ciphertext read returned data, and the last chunk only once the
/// HMAC over all the ciphertext matched (constant-time) and the plaintext digest, when given, matched too. Any
/// mismatch throws <see cref="LayerDecryptionException"/> on this and every later read.
/// </summary>
public sealed class DecryptingStream : Stream
{
    private const int ChunkSize = 64 * 1024;
    private readonly Stream ciphertext;
    private readonly AesCtr ctr;
    private readonly IncrementalHash hmac;
    private readonly byte[] expectedHmac;
    private readonly Digest? expectedPlaintext;
    private readonly IncrementalHash? plaintextHash;
    private byte[] released = new byte[ChunkSize];
    private byte[] held = new byte[ChunkSize];
    private int releasedOffset;
    private int releasedCount;
    private int heldCount;
    private bool ended;
    private LayerDecryptionException? failure;
    private long position;

    internal DecryptingStream(Stream ciphertext, LayerKey key, byte[] expectedHmac, Digest? expectedPlaintext)
    {
        this.ciphertext = ciphertext;
        ctr = new AesCtr(key.SymmetricKey, key.Nonce);
        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.SymmetricKey);
        this.expectedHmac = expectedHmac;
        this.expectedPlaintext = expectedPlaintext;
        plaintextHash = expectedPlaintext is null ? null : Digest.CreateHash(expectedPlaintext.Algorithm);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryCopyOut(buffer, out var copied))
            {
                return copied;
            }
            Advance(FillChunk(released));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryCopyOut(buffer.Span, out var copied))
            {
                return copied;
            }
            var n = 0;
            int read;
            while (n < released.Length && (read = await ciphertext.ReadAsync(released.AsMemory(n), cancellationToken)) > 0)
            {
                n += read;
            }
            Advance(n);
        }
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
            plaintextHash?.Dispose();
            ciphertext.Dispose();
            CryptographicOperations.ZeroMemory(released);
            CryptographicOperations.ZeroMemory(held);
        }
        base.Dispose(disposing);
    }

    /// <summary>Copies released plaintext out; false when there is none left and more must be read.</summary>
    private bool TryCopyOut(Span<byte> buffer, out int copied)
    {
        if (failure is not null)
        {
            throw failure;
        }
        copied = 0;
        if (releasedCount > releasedOffset)
        {
            copied = Math.Min(buffer.Length, releasedCount - releasedOffset);
            released.AsSpan(releasedOffset, copied).CopyTo(buffer);
            releasedOffset += copied;
            position += copied;
            return true;
        }
        return ended || buffer.IsEmpty;
    }

    private int FillChunk(byte[] chunk)
    {
        var n = 0;
        int read;
        while (n < chunk.Length && (read = ciphertext.Read(chunk, n, chunk.Length - n)) > 0)
        {
            n += read;
        }
        return n;
    }

    /// <summary>
    /// <paramref name="count"/> new ciphertext bytes are in <see cref="released"/> (drained): decrypt them and hold
    /// them, releasing the previously held chunk; at the end (0) verify before releasing the last chunk.
    /// </summary>
    private void Advance(int count)
    {
        if (count > 0)
        {
            var chunk = released.AsSpan(0, count);
            hmac.AppendData(chunk);
            ctr.Transform(chunk);
            plaintextHash?.AppendData(chunk);
            (released, held) = (held, released);
            releasedOffset = 0;
            releasedCount = heldCount;
            heldCount = count;
            return;
        }
        var actual = hmac.GetHashAndReset();
        if (!CryptographicOperations.FixedTimeEquals(actual, expectedHmac))
        {
            Fail("the layer's HMAC does not match its ciphertext: the layer or its annotations were tampered with, or the key is wrong");
        }
        if (plaintextHash is not null && Digest.FromHash(expectedPlaintext!.Algorithm, plaintextHash.GetHashAndReset()) is var digest && digest != expectedPlaintext)
        {
            Fail($"the decrypted layer has digest {digest}, not {expectedPlaintext}");
        }
        (released, held) = (held, released);
        releasedOffset = 0;
        releasedCount = heldCount;
        heldCount = 0;
        ended = true;
    }

    private void Fail(string message)
    {
        CryptographicOperations.ZeroMemory(held);
        heldCount = 0;
        failure = new LayerDecryptionException(message);
        throw failure;
    }
}
