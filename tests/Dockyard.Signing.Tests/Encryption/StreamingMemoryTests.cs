using System.Security.Cryptography;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>A 1 GiB layer goes through both streams with a flat memory footprint (allocations, not time, are checked).</summary>
public sealed class StreamingMemoryTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void One_gib_layer_encrypts_and_decrypts_with_flat_memory()
    {
        var key = LayerKey.Generate();
        var buffer = new byte[1 << 20];
        var before = GC.GetAllocatedBytesForCurrentThread();

        // Pass 1: encrypt, learning the HMAC and the plaintext digest.
        using var plainHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] hmac;
        Digest ciphertextDigest;
        using (var encrypting = LayerCipher.Encrypt(new HashingReadStream(new PatternStream(GiB), plainHash), key))
        {
            Assert.Equal(GiB, Drain(encrypting, buffer));
            hmac = encrypting.Hmac;
            ciphertextDigest = encrypting.CiphertextDigest;
        }
        var plaintextDigest = Digest.FromHash(Digest.Sha256, plainHash.GetHashAndReset());

        // Pass 2: decrypt the same ciphertext, regenerated on the fly, verifying HMAC and plaintext digest.
        using (var decrypting = LayerCipher.Decrypt(LayerCipher.Encrypt(new PatternStream(GiB), key), key, hmac, plaintextDigest))
        {
            Assert.Equal(GiB, Drain(decrypting, buffer));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4L << 20, $"{allocated} bytes allocated for 2 GiB of streaming");
        Assert.NotNull(ciphertextDigest);
    }

    private static long Drain(Stream stream, byte[] buffer)
    {
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            total += n;
        }
        return total;
    }

    /// <summary>A deterministic non-seekable stream of <c>length</c> bytes, generated per read.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - position);
            for (var i = 0; i < n; i++)
            {
                var p = position + i;
                buffer[i] = (byte)((p * 131) ^ (p >> 9));
            }
            position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
