using System.Security.Cryptography;
using Dockyard.Core.Names;
using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>The AES_256_CTR_HMAC_SHA256 streams: round trips, and tampering that must never yield the whole plaintext.</summary>
public sealed class LayerCipherTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(300_001)]
    public void Round_trip_of_every_size(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var key = LayerKey.Generate();
        var (ciphertext, hmac) = Encrypt(plaintext, key);

        Assert.Equal(size, ciphertext.Length);
        if (size >= 16)
        {
            Assert.NotEqual(plaintext, ciphertext);
        }
        using var decrypting = LayerCipher.Decrypt(new MemoryStream(ciphertext), key, hmac, Digest.Compute(plaintext));
        Assert.Equal(plaintext, ReadAll(decrypting, 4099));
    }

    [Fact]
    public async Task Async_reads_give_the_same_plaintext()
    {
        var plaintext = RandomNumberGenerator.GetBytes(200_000);
        var key = LayerKey.Generate();
        var (ciphertext, hmac) = Encrypt(plaintext, key);
        await using var decrypting = LayerCipher.Decrypt(new MemoryStream(ciphertext), key, hmac);
        using var output = new MemoryStream();
        await decrypting.CopyToAsync(output);
        Assert.Equal(plaintext, output.ToArray());
    }

    [Fact]
    public void Encrypting_stream_reports_digest_length_and_hmac()
    {
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var key = LayerKey.Generate();
        using var encrypting = LayerCipher.Encrypt(new MemoryStream(plaintext), key);
        Assert.Throws<InvalidOperationException>(() => encrypting.Hmac);
        var ciphertext = ReadAll(encrypting, 333);
        Assert.Equal(Digest.Compute(ciphertext), encrypting.CiphertextDigest);
        Assert.Equal(1000, encrypting.Length);
        Assert.Equal(HMACSHA256.HashData(key.SymmetricKey, ciphertext), encrypting.Hmac);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_000)]
    [InlineData(199_999)]
    public void Tampered_ciphertext_throws_before_the_whole_plaintext_is_out(int position)
    {
        var plaintext = RandomNumberGenerator.GetBytes(200_000);
        var key = LayerKey.Generate();
        var (ciphertext, hmac) = Encrypt(plaintext, key);
        ciphertext[position] ^= 0x01;
        AssertRefused(ciphertext, key, hmac, plaintext.Length, "HMAC");
    }

    [Fact]
    public void Tampered_hmac_throws_before_the_whole_plaintext_is_out()
    {
        var plaintext = RandomNumberGenerator.GetBytes(10_000);
        var key = LayerKey.Generate();
        var (ciphertext, hmac) = Encrypt(plaintext, key);
        hmac[5] ^= 0x80;
        AssertRefused(ciphertext, key, hmac, plaintext.Length, "HMAC");
    }

    [Fact]
    public void Wrong_key_throws_and_yields_nothing_of_a_small_layer()
    {
        var plaintext = RandomNumberGenerator.GetBytes(10_000);
        var key = LayerKey.Generate();
        var (ciphertext, hmac) = Encrypt(plaintext, key);
        var received = AssertRefused(ciphertext, LayerKey.Generate(), hmac, plaintext.Length, "HMAC");
        Assert.Equal(0, received);
    }

    [Fact]
    public void Plaintext_digest_mismatch_is_refused_even_with_a_valid_hmac()
    {
        var plaintext = RandomNumberGenerator.GetBytes(5_000);
        var key = LayerKey.Generate();
        var (ciphertext, hmac) = Encrypt(plaintext, key);
        using var decrypting = LayerCipher.Decrypt(new MemoryStream(ciphertext), key, hmac, Digest.Compute("other"u8));
        var error = Assert.Throws<LayerDecryptionException>(() => ReadAll(decrypting, 1000));
        Assert.Contains("digest", error.Message, StringComparison.Ordinal);
        Assert.Throws<LayerDecryptionException>(() => decrypting.ReadByte());
    }

    internal static (byte[] Ciphertext, byte[] Hmac) Encrypt(byte[] plaintext, LayerKey key)
    {
        using var encrypting = LayerCipher.Encrypt(new MemoryStream(plaintext), key);
        var ciphertext = ReadAll(encrypting, 7777);
        return (ciphertext, encrypting.Hmac);
    }

    private static int AssertRefused(byte[] ciphertext, LayerKey key, byte[] hmac, int plaintextLength, string reason)
    {
        using var decrypting = LayerCipher.Decrypt(new MemoryStream(ciphertext), key, hmac);
        var buffer = new byte[4096];
        var received = 0;
        var error = Assert.Throws<LayerDecryptionException>(() =>
        {
            int n;
            while ((n = decrypting.Read(buffer)) > 0)
            {
                received += n;
            }
        });
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.True(received < plaintextLength, $"{received} of {plaintextLength} bytes were released before the failure");
        return received;
    }

    private static byte[] ReadAll(Stream stream, int chunk)
    {
        using var output = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }
}
