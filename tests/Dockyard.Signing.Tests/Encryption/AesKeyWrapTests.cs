using System.Security.Cryptography;
using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>AES Key Wrap against RFC 3394 §4.6 (256-bit key data with a 256-bit KEK).</summary>
public sealed class AesKeyWrapTests
{
    private static readonly byte[] Kek = Convert.FromHexString("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    private static readonly byte[] KeyData = Convert.FromHexString("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] Wrapped = Convert.FromHexString("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");

    [Fact]
    public void Rfc3394_vector_wraps_and_unwraps()
    {
        Assert.Equal(Wrapped, AesKeyWrap.Wrap(Kek, KeyData));
        Assert.Equal(KeyData, AesKeyWrap.Unwrap(Kek, Wrapped));
    }

    [Fact]
    public void Unwrap_with_another_kek_fails_the_integrity_check()
    {
        var other = Kek.ToArray();
        other[0] ^= 1;
        Assert.Throws<CryptographicException>(() => AesKeyWrap.Unwrap(other, Wrapped));
    }
}
