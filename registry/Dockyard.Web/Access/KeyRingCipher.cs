using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Web.Access;

/// <summary>
/// Seals the session key ring's keys before they reach the metadata store: AES-256-GCM under a key every node shares
/// (<see cref="WebUiOptions.KeyRingKey"/>), with the key's name as associated data so a sealed key cannot be stored
/// under another name. Whoever can read the database then cannot mint session cookies or antiforgery tokens.
/// </summary>
internal sealed class KeyRingCipher(byte[] key)
{
    /// <summary>What a sealed entry starts with; anything else is a plain XML key.</summary>
    public const string Prefix = "aesgcm:";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Seal(string name, string xml)
    {
        var plain = Encoding.UTF8.GetBytes(xml);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(name));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The key's XML; null when the entry is not sealed, is damaged, or was sealed under another key.</summary>
    public string? Open(string name, string content)
    {
        if (!content.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var sealedBytes = Convert.FromBase64String(content[Prefix.Length..]);
            if (sealedBytes.Length < NonceSize + TagSize)
            {
                return null;
            }
            var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain,
                Encoding.UTF8.GetBytes(name));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
