using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// JWE (RFC 7516) as ocicrypt's "jwe" key wrapper uses it: A256GCM content encryption of a small payload (the layer's
/// private options), the content key wrapped once per recipient. Writes the JSON General Serialization (protected
/// header {"enc":"A256GCM"}, per-recipient header with alg and epk); reads general or flattened JSON serializations.
/// </summary>
public static class Jwe
{
    private const string ContentEncryption = "A256GCM";
    private const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> for every recipient; returns the UTF-8 JSON serialization.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<JweRecipient> recipients)
    {
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }
        var cek = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(12);
        var protectedHeader = Base64Url.EncodeToString("""{"enc":"A256GCM"}"""u8);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var gcm = new AesGcm(cek, TagSize))
        {
            gcm.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(protectedHeader));
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("protected", protectedHeader);
            json.WriteStartArray("recipients");
            foreach (var recipient in recipients)
            {
                JweKeyManagement.WriteRecipient(json, recipient, cek);
            }
            json.WriteEndArray();
            json.WriteString("iv", Base64Url.EncodeToString(iv));
            json.WriteString("ciphertext", Base64Url.EncodeToString(ciphertext));
            json.WriteString("tag", Base64Url.EncodeToString(tag));
            json.WriteEndObject();
        }
        CryptographicOperations.ZeroMemory(cek);
        return buffer.ToArray();
    }

    /// <summary>Decrypts a JWE JSON serialization with whichever recipient <paramref name="key"/> can unwrap.</summary>
    /// <exception cref="CryptographicException">No recipient can be unwrapped with the key, or the content fails authentication.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> serialized, JwePrivateKey key)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(serialized.ToArray());
        }
        catch (JsonException e)
        {
            throw new CryptographicException("the JWE is not JSON (compact serialization is not used by ocicrypt)", e);
        }
        using (document)
        {
            var root = document.RootElement;
            var protectedText = root.TryGetProperty("protected", out var p) ? p.GetString() ?? "" : "";
            var shared = new Dictionary<string, JsonElement>();
            if (protectedText.Length > 0)
            {
                Merge(shared, JsonDocument.Parse(Base64Url.DecodeFromChars(protectedText)).RootElement);
            }
            if (root.TryGetProperty("unprotected", out var unprotected))
            {
                Merge(shared, unprotected);
            }
            var recipients = root.TryGetProperty("recipients", out var list) && list.GetArrayLength() > 0
                ? list.EnumerateArray().ToList()
                : [root];
            var errors = new List<string>();
            foreach (var recipient in recipients)
            {
                var header = new Dictionary<string, JsonElement>(shared);
                if (recipient.TryGetProperty("header", out var own))
                {
                    Merge(header, own);
                }
                try
                {
                    var encryptedKey = recipient.TryGetProperty("encrypted_key", out var k) ? Base64Url.DecodeFromChars(k.GetString()) : [];
                    if (JweKeyManagement.Unwrap(key, header, encryptedKey) is not { } cek)
                    {
                        continue;
                    }
                    return DecryptContent(root, header, protectedText, cek);
                }
                catch (CryptographicException e)
                {
                    errors.Add(e.Message);
                }
            }
            throw new CryptographicException(errors.Count == 0
                ? $"none of the JWE's {recipients.Count} recipient(s) uses a key of this type"
                : $"none of the JWE's {recipients.Count} recipient(s) could be decrypted with this key: {string.Join("; ", errors)}");
        }
    }

    private static byte[] DecryptContent(JsonElement root, Dictionary<string, JsonElement> header, string protectedText, byte[] cek)
    {
        var enc = header.TryGetValue("enc", out var e) ? e.GetString() : null;
        if (enc is not ("A256GCM" or "A192GCM" or "A128GCM") || cek.Length * 8 != int.Parse(enc[1..4], System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new CryptographicException($"unsupported JWE content encryption {enc} (ocicrypt uses {ContentEncryption})");
        }
        var aad = root.TryGetProperty("aad", out var extra) ? protectedText + "." + extra.GetString() : protectedText;
        var iv = Base64Url.DecodeFromChars(root.GetProperty("iv").GetString());
        var ciphertext = Base64Url.DecodeFromChars(root.GetProperty("ciphertext").GetString());
        var tag = Base64Url.DecodeFromChars(root.GetProperty("tag").GetString());
        var plaintext = new byte[ciphertext.Length];
        using var gcm = new AesGcm(cek, tag.Length);
        gcm.Decrypt(iv, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(aad));
        CryptographicOperations.ZeroMemory(cek);
        return plaintext;
    }

    private static void Merge(Dictionary<string, JsonElement> target, JsonElement header)
    {
        foreach (var property in header.EnumerateObject())
        {
            target[property.Name] = property.Value.Clone();
        }
    }
}
