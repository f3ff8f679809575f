using System.Security.Cryptography;
using Dockyard.Core.Manifests;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// Encrypts and decrypts one layer the way containers/ocicrypt does: media type + "+encrypted", the
/// <see cref="KeysAnnotation"/> (comma-separated base64 JWEs of the private options) and the
/// <see cref="PublicOptionsAnnotation"/> (base64 public options with the HMAC); digest and size become the
/// ciphertext's. Decryption checks the HMAC and then the plaintext digest the private options name.
/// </summary>
public static class LayerEncryptor
{
    public const string KeysAnnotation = "org.opencontainers.image.enc.keys.jwe";
    public const string PublicOptionsAnnotation = "org.opencontainers.image.enc.pubopts";
    public const string AnnotationPrefix = "org.opencontainers.image.enc.";
    public const string EncryptedSuffix = "+encrypted";

    /// <summary>Whether the descriptor is an ocicrypt-encrypted layer.</summary>
    public static bool IsEncrypted(Descriptor layer) => layer.MediaType.EndsWith(EncryptedSuffix, StringComparison.Ordinal);

    /// <summary>Whether the media type is a layer ocicrypt encrypts (OCI tar, tar+gzip, tar+zstd, non-distributable).</summary>
    public static bool CanEncrypt(string mediaType) =>
        mediaType.StartsWith("application/vnd.oci.image.layer.", StringComparison.Ordinal)
        && !mediaType.EndsWith(EncryptedSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Starts encrypting <paramref name="plaintext"/> (the bytes of <paramref name="layer"/>) with a fresh key for
    /// <paramref name="recipients"/>; read <see cref="EncryptingLayer.Ciphertext"/> to its end, then call
    /// <see cref="EncryptingLayer.Complete"/> for the encrypted descriptor.
    /// </summary>
    public static EncryptingLayer Encrypt(Descriptor layer, Stream plaintext, IReadOnlyList<JweRecipient> recipients)
    {
        if (!CanEncrypt(layer.MediaType))
        {
            throw new ArgumentException($"media type {layer.MediaType} is not an unencrypted OCI layer", nameof(layer));
        }
        return EncryptBlob(layer, plaintext, recipients);
    }

    /// <summary>
    /// As <see cref="Encrypt"/>, for a blob of any (unencrypted) media type: artifacts such as a volume's file index
    /// use ocicrypt's scheme and annotations for blobs that are not image layers, which ocicrypt tools leave alone.
    /// </summary>
    public static EncryptingLayer EncryptBlob(Descriptor blob, Stream plaintext, IReadOnlyList<JweRecipient> recipients)
    {
        if (blob.MediaType.EndsWith(EncryptedSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"media type {blob.MediaType} is already encrypted", nameof(blob));
        }
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }
        var key = LayerKey.Generate();
        return new EncryptingLayer(blob, LayerCipher.Encrypt(plaintext, key), key, recipients);
    }

    /// <summary>
    /// Unwraps the layer key of <paramref name="layer"/> with <paramref name="key"/> and returns the plaintext
    /// stream and the plain descriptor (media type without "+encrypted", the original digest, no encryption
    /// annotations).
    /// </summary>
    /// <exception cref="LayerDecryptionException">The layer is not encrypted, its annotations are malformed, or no JWE
    /// recipient can be opened with the key. Reading the stream throws it too for a tampered layer.</exception>
    public static DecryptingLayer Decrypt(Descriptor layer, Stream ciphertext, JwePrivateKey key)
    {
        if (!IsEncrypted(layer))
        {
            throw new LayerDecryptionException($"layer {layer.Digest} ({layer.MediaType}) is not encrypted");
        }
        var annotations = layer.Annotations ?? new Dictionary<string, string>();
        if (!annotations.TryGetValue(KeysAnnotation, out var wrapped) || wrapped.Length == 0)
        {
            throw new LayerDecryptionException($"layer {layer.Digest} has no {KeysAnnotation} annotation (only JWE-wrapped keys are supported)");
        }
        var (hmac, publicOptions) = LayerOptions.ReadPublic(annotations.TryGetValue(PublicOptionsAnnotation, out var pub) ? FromBase64(pub) : null);
        var privateOptions = Unwrap(layer, wrapped, key);
        var (layerKey, plaintextDigest) = LayerOptions.ReadPrivate(privateOptions, publicOptions);
        CryptographicOperations.ZeroMemory(privateOptions);
        var plain = layer with
        {
            MediaType = layer.MediaType[..^EncryptedSuffix.Length],
            Digest = plaintextDigest,
            Annotations = Filter(annotations),
        };
        return new DecryptingLayer(plain, LayerCipher.Decrypt(ciphertext, layerKey, hmac, plaintextDigest));
    }

    private static byte[] Unwrap(Descriptor layer, string wrapped, JwePrivateKey key)
    {
        var errors = new List<string>();
        foreach (var entry in wrapped.Split(','))
        {
            try
            {
                return Jwe.Decrypt(FromBase64(entry), key);
            }
            catch (CryptographicException e)
            {
                errors.Add(e.Message);
            }
        }
        throw new LayerDecryptionException($"the key cannot decrypt layer {layer.Digest}: {string.Join("; ", errors)}");
    }

    private static byte[] FromBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new LayerDecryptionException("an encryption annotation is not valid base64", e);
        }
    }

    private static Dictionary<string, string>? Filter(IReadOnlyDictionary<string, string> annotations)
    {
        var kept = annotations.Where(a => !a.Key.StartsWith(AnnotationPrefix, StringComparison.Ordinal)).ToDictionary();
        return kept.Count == 0 ? null : kept;
    }

    internal static string ToBase64(byte[] data) => Convert.ToBase64String(data);
}

/// <summary>An encryption in progress: read <see cref="Ciphertext"/> to its end, then <see cref="Complete"/>.</summary>
public sealed class EncryptingLayer(Descriptor plain, EncryptingStream ciphertext, LayerKey key, IReadOnlyList<JweRecipient> recipients) : IDisposable
{
    public EncryptingStream Ciphertext => ciphertext;

    /// <summary>The encrypted descriptor: new media type, the ciphertext's digest and size, the two annotations.</summary>
    public Descriptor Complete()
    {
        var privateOptions = LayerOptions.WritePrivate(key, plain.Digest);
        var jwe = Jwe.Encrypt(privateOptions, recipients);
        CryptographicOperations.ZeroMemory(privateOptions);
        var annotations = new Dictionary<string, string>(plain.Annotations ?? new Dictionary<string, string>())
        {
            [LayerEncryptor.KeysAnnotation] = LayerEncryptor.ToBase64(jwe),
            [LayerEncryptor.PublicOptionsAnnotation] = LayerEncryptor.ToBase64(LayerOptions.WritePublic(ciphertext.Hmac)),
        };
        return plain with
        {
            MediaType = plain.MediaType + LayerEncryptor.EncryptedSuffix,
            Digest = ciphertext.CiphertextDigest,
            Size = ciphertext.Length,
            Annotations = annotations,
        };
    }

    public void Dispose()
    {
        ciphertext.Dispose();
        CryptographicOperations.ZeroMemory(key.SymmetricKey);
    }
}

/// <summary>A decryption in progress: <see cref="Plaintext"/> verifies HMAC and digest before its last bytes.</summary>
public sealed class DecryptingLayer(Descriptor plain, DecryptingStream plaintext) : IDisposable
{
    /// <summary>The descriptor the decrypted layer gets.</summary>
    public Descriptor Descriptor => plain;

    public DecryptingStream Plaintext => plaintext;

    public void Dispose() => plaintext.Dispose();
}
