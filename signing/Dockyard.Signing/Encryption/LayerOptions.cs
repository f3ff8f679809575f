using System.Text.Json;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// ocicrypt's layer block cipher options as JSON, byte fields in standard base64 as Go's encoding/json writes
/// <c>[]byte</c>. Private (wrapped by JWE): {"symkey","digest","cipheroptions":{"nonce"}}. Public (the pubopts
/// annotation): {"cipher","hmac","cipheroptions":{}}; newer ocicrypt may keep "hmac" in "cipheroptions" instead,
/// which is read too.
/// </summary>
internal static class LayerOptions
{
    public static byte[] WritePrivate(LayerKey key, Digest plaintext) => Write(json =>
    {
        json.WriteBase64String("symkey", key.SymmetricKey);
        json.WriteString("digest", plaintext.Value);
        json.WriteStartObject("cipheroptions");
        json.WriteBase64String("nonce", key.Nonce);
        json.WriteEndObject();
    });

    public static byte[] WritePublic(byte[] hmac) => Write(json =>
    {
        json.WriteString("cipher", LayerCipher.Name);
        json.WriteBase64String("hmac", hmac);
        json.WriteStartObject("cipheroptions");
        json.WriteEndObject();
    });

    /// <summary>The cipher's HMAC and any public cipher options, checking the cipher is the one supported.</summary>
    public static (byte[] Hmac, JsonElement? CipherOptions) ReadPublic(byte[]? json)
    {
        using var document = JsonDocument.Parse(json ?? "{}"u8.ToArray());
        var root = document.RootElement;
        var cipher = root.TryGetProperty("cipher", out var c) ? c.GetString() : null;
        if (cipher != LayerCipher.Name)
        {
            throw new LayerDecryptionException(cipher is null or "" ? "the layer names no cipher (missing pubopts annotation)" : $"unsupported layer cipher {cipher}");
        }
        JsonElement? options = root.TryGetProperty("cipheroptions", out var o) && o.ValueKind == JsonValueKind.Object ? o.Clone() : null;
        var hmac = options is { } opts && opts.TryGetProperty("hmac", out var inOptions) ? inOptions.GetBytesFromBase64()
            : root.TryGetProperty("hmac", out var top) && top.ValueKind == JsonValueKind.String ? top.GetBytesFromBase64()
            : throw new LayerDecryptionException("the layer's public options carry no HMAC");
        return (hmac, options);
    }

    /// <summary>The layer key and plaintext digest from unwrapped private options; the nonce may also sit in the public options.</summary>
    public static (LayerKey Key, Digest Plaintext) ReadPrivate(byte[] json, JsonElement? publicOptions)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var key = root.GetProperty("symkey").GetBytesFromBase64();
            var nonce = publicOptions is { } pub && pub.TryGetProperty("nonce", out var n1) ? n1.GetBytesFromBase64()
                : root.GetProperty("cipheroptions").GetProperty("nonce").GetBytesFromBase64();
            if (key.Length != LayerKey.KeySize || nonce.Length != LayerKey.NonceSize)
            {
                throw new LayerDecryptionException($"the layer key is {key.Length} bytes and its nonce {nonce.Length}; AES-256-CTR needs 32 and 16");
            }
            return Digest.TryParse(root.GetProperty("digest").GetString(), out var digest)
                ? (new LayerKey(key, nonce), digest)
                : throw new LayerDecryptionException("the layer's private options carry no valid plaintext digest");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new LayerDecryptionException("the layer's private options are malformed: " + e.Message, e);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
