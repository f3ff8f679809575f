using System.Security.Cryptography;
using System.Text;
using Dockyard.Core.Names;
using Dockyard.Signing.Encryption;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Convergent encryption of an encrypted volume's chunks. Each chunk is AES-256-CTR (ocicrypt's layer cipher) under
/// a key and initial counter derived by HKDF-SHA256 from the volume's chunk key (random, made with the volume's first
/// encrypted version and carried in every sealed index) and the chunk's plaintext digest. The same bytes in the same
/// volume always give the same ciphertext, so an unchanged chunk keeps its stored digest across versions and is not
/// uploaded again; another volume (another key) gives other ciphertext. What it gives away: the registry sees which
/// chunks of one volume's versions are equal, as with any deduplicating backup. No HMAC per chunk: the ciphertext's
/// digest is checked against the index (an HMAC'd ocicrypt blob) and the plaintext's after decryption.
/// </summary>
internal sealed class ChunkCipher(byte[] volumeKey)
{
    public const int KeySize = 32;
    private static readonly byte[] Salt = "dockyard volume chunk v1"u8.ToArray();

    /// <summary>The volume's chunk key; stored only inside sealed indexes.</summary>
    public byte[] VolumeKey => volumeKey;

    /// <summary>A new volume's cipher, with a fresh random key.</summary>
    public static ChunkCipher Generate() => new(RandomNumberGenerator.GetBytes(KeySize));

    /// <summary>Encrypts or decrypts (the same operation) the chunk whose plaintext digest is <paramref name="plaintext"/>, in place.</summary>
    public void Transform(Digest plaintext, Span<byte> data)
    {
        Span<byte> material = stackalloc byte[LayerKey.KeySize + LayerKey.NonceSize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, volumeKey, material, Salt, Encoding.ASCII.GetBytes(plaintext.Value));
        using var ctr = new AesCtr(material[..LayerKey.KeySize], material[LayerKey.KeySize..]);
        CryptographicOperations.ZeroMemory(material);
        ctr.Transform(data);
    }
}
