using System.Numerics;
using System.Security.Cryptography;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// AES in counter mode as Go's <c>cipher.NewCTR</c> runs it: the 16-byte initial counter block is incremented as one
/// 128-bit big-endian number (wrapping at 2^128). .NET has no CTR mode, so batches of counter blocks are encrypted
/// with AES-ECB and XORed into the data; a partly used keystream block carries over to the next call.
/// </summary>
public sealed class AesCtr : IDisposable
{
    private const int BlockSize = 16;
    private const int BlocksPerBatch = 1024;
    private readonly Aes aes = Aes.Create();
    private readonly ICryptoTransform ecb;
    private readonly byte[] counter;
    private readonly byte[] counters = new byte[BlocksPerBatch * BlockSize];
    private readonly byte[] keystream = new byte[BlocksPerBatch * BlockSize];
    private int keystreamOffset;
    private int keystreamLength;

    /// <param name="key">16, 24 or 32 bytes.</param>
    /// <param name="initialCounter">the 16-byte initial counter block (ocicrypt's "nonce").</param>
    public AesCtr(ReadOnlySpan<byte> key, ReadOnlySpan<byte> initialCounter)
    {
        if (initialCounter.Length != BlockSize)
        {
            throw new ArgumentException("the initial counter block must be 16 bytes", nameof(initialCounter));
        }
        aes.Key = key.ToArray();
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        // One native context for the whole stream: Aes.EncryptEcb would set one up per call.
        ecb = aes.CreateEncryptor();
        counter = initialCounter.ToArray();
    }

    /// <summary>Encrypts or decrypts (the same operation) <paramref name="data"/> in place, continuing the keystream.</summary>
    public void Transform(Span<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (keystreamOffset == keystreamLength)
            {
                Refill(data.Length);
            }
            var n = Math.Min(data.Length, keystreamLength - keystreamOffset);
            Xor(data[..n], keystream.AsSpan(keystreamOffset, n));
            keystreamOffset += n;
            data = data[n..];
        }
    }

    public void Dispose()
    {
        ecb.Dispose();
        aes.Dispose();
        CryptographicOperations.ZeroMemory(keystream);
    }

    private void Refill(int wanted)
    {
        var blocks = Math.Min(BlocksPerBatch, (wanted + BlockSize - 1) / BlockSize);
        for (var i = 0; i < blocks; i++)
        {
            counter.CopyTo(counters, i * BlockSize);
            Increment(counter);
        }
        var length = blocks * BlockSize;
        ecb.TransformBlock(counters, 0, length, keystream, 0);
        keystreamOffset = 0;
        keystreamLength = length;
    }

    private static void Increment(byte[] block)
    {
        for (var i = block.Length - 1; i >= 0; i--)
        {
            if (++block[i] != 0)
            {
                return;
            }
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> stream)
    {
        var i = 0;
        var width = Vector<byte>.Count;
        for (; i + width <= data.Length; i += width)
        {
            (new Vector<byte>(data[i..]) ^ new Vector<byte>(stream[i..])).CopyTo(data[i..]);
        }
        for (; i < data.Length; i++)
        {
            data[i] ^= stream[i];
        }
    }
}
