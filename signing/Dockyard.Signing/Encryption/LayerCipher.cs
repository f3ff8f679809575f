using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Encryption;

/// <summary>The secret of one encrypted layer: the AES-256 key (also the HMAC key) and the initial counter block.</summary>
public sealed record LayerKey(byte[] SymmetricKey, byte[] Nonce)
{
    public const int KeySize = 32;
    public const int NonceSize = 16;

    /// <summary>A fresh random key and nonce, as ocicrypt makes one per layer.</summary>
    public static LayerKey Generate() => new(RandomNumberGenerator.GetBytes(KeySize), RandomNumberGenerator.GetBytes(NonceSize));
}

/// <summary>
/// ocicrypt's layer cipher AES_256_CTR_HMAC_SHA256: AES-256-CTR, then HMAC-SHA256 (keyed with the same key) over
/// the ciphertext. Both directions are streams that hold at most a buffer or two, whatever the layer's size.
/// </summary>
public static class LayerCipher
{
    public const string Name = "AES_256_CTR_HMAC_SHA256";

    /// <summary>
    /// A stream of the ciphertext of <paramref name="plaintext"/>; once it has been read to its end, its
    /// <see cref="EncryptingStream.Hmac"/>, digest and length describe the ciphertext.
    /// </summary>
    public static EncryptingStream Encrypt(Stream plaintext, LayerKey key) => new(plaintext, key);

    /// <summary>
    /// A stream of the plaintext of <paramref name="ciphertext"/>. The last buffered bytes are released only after the
    /// HMAC (and, when <paramref name="expectedPlaintext"/> is given, the plaintext digest) has been verified at the
    /// end of the ciphertext; otherwise reading throws <see cref="LayerDecryptionException"/>, so a tampered layer
    /// never yields its complete plaintext.
    /// </summary>
    public static DecryptingStream Decrypt(Stream ciphertext, LayerKey key, byte[] expectedHmac, Digest? expectedPlaintext = null) =>
        new(ciphertext, key, expectedHmac, expectedPlaintext);
}

/// <summary>A layer cannot be decrypted: no usable key, tampered ciphertext or HMAC, or a plaintext digest mismatch.</summary>
public sealed class LayerDecryptionException(string message, Exception? inner = null) : CryptographicException(message, inner);
