using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Dockyard.Signing.Encryption;

/// <summary>AES Key Wrap (RFC 3394) with the default initial value, as JWE's A256KW uses it; .NET has no API for it.</summary>
public static class AesKeyWrap
{
    private const ulong DefaultIv = 0xA6A6A6A6A6A6A6A6;

    /// <summary>Wraps <paramref name="keyData"/> (a multiple of 8 bytes, at least 16) under <paramref name="kek"/>.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> keyData)
    {
        if (keyData.Length < 16 || keyData.Length % 8 != 0)
        {
            throw new ArgumentException("key data must be a multiple of 8 bytes, at least 16", nameof(keyData));
        }
        using var aes = Aes.Create();
        aes.Key = kek.ToArray();
        var n = keyData.Length / 8;
        var r = keyData.ToArray();
        var a = DefaultIv;
        Span<byte> block = stackalloc byte[16];
        for (var j = 0; j <= 5; j++)
        {
            for (var i = 1; i <= n; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(block, a);
                r.AsSpan((i - 1) * 8, 8).CopyTo(block[8..]);
                aes.EncryptEcb(block, block, PaddingMode.None);
                a = BinaryPrimitives.ReadUInt64BigEndian(block) ^ (ulong)((n * j) + i);
                block[8..].CopyTo(r.AsSpan((i - 1) * 8, 8));
            }
        }
        var result = new byte[r.Length + 8];
        BinaryPrimitives.WriteUInt64BigEndian(result, a);
        r.CopyTo(result, 8);
        return result;
    }

    /// <summary>Unwraps <paramref name="wrapped"/>; throws <see cref="CryptographicException"/> when the integrity check fails.</summary>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            throw new CryptographicException("wrapped key must be a multiple of 8 bytes, at least 24");
        }
        using var aes = Aes.Create();
        aes.Key = kek.ToArray();
        var n = (wrapped.Length / 8) - 1;
        var a = BinaryPrimitives.ReadUInt64BigEndian(wrapped);
        var r = wrapped[8..].ToArray();
        Span<byte> block = stackalloc byte[16];
        for (var j = 5; j >= 0; j--)
        {
            for (var i = n; i >= 1; i--)
            {
                BinaryPrimitives.WriteUInt64BigEndian(block, a ^ (ulong)((n * j) + i));
                r.AsSpan((i - 1) * 8, 8).CopyTo(block[8..]);
                aes.DecryptEcb(block, block, PaddingMode.None);
                a = BinaryPrimitives.ReadUInt64BigEndian(block);
                block[8..].CopyTo(r.AsSpan((i - 1) * 8, 8));
            }
        }
        Span<byte> check = stackalloc byte[8];
        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(check, a);
        BinaryPrimitives.WriteUInt64BigEndian(expected, DefaultIv);
        if (!CryptographicOperations.FixedTimeEquals(check, expected))
        {
            CryptographicOperations.ZeroMemory(r);
            throw new CryptographicException("AES key unwrap failed: wrong key-encryption key or corrupted wrapped key");
        }
        return r;
    }
}
