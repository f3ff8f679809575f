using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>Descriptor in, encrypted descriptor with ocicrypt's annotations out, and back.</summary>
public sealed class LayerEncryptorTests
{
    private const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    [Fact]
    public void Encrypted_descriptor_carries_ocicrypt_annotations_and_decrypts_back()
    {
        var (rsaPublic, rsaPrivate) = TestKeys.Rsa();
        var (ecPublic, ecPrivate) = TestKeys.Ec();
        var plaintext = RandomNumberGenerator.GetBytes(12_345);
        var plain = Layer(plaintext, new Dictionary<string, string> { ["keep"] = "me" });

        var (encrypted, ciphertext) = Encrypt(plain, plaintext, rsaPublic, ecPublic);

        Assert.Equal(GzipLayer + "+encrypted", encrypted.MediaType);
        Assert.Equal(Digest.Compute(ciphertext), encrypted.Digest);
        Assert.Equal(plaintext.Length, encrypted.Size);
        Assert.Equal("me", encrypted.Annotations!["keep"]);
        var pubopts = JsonDocument.Parse(Convert.FromBase64String(encrypted.Annotations[LayerEncryptor.PublicOptionsAnnotation])).RootElement;
        Assert.Equal("AES_256_CTR_HMAC_SHA256", pubopts.GetProperty("cipher").GetString());
        Assert.Equal(32, pubopts.GetProperty("hmac").GetBytesFromBase64().Length);
        Assert.Equal(JsonValueKind.Object, pubopts.GetProperty("cipheroptions").ValueKind);
        var jwe = Convert.FromBase64String(encrypted.Annotations[LayerEncryptor.KeysAnnotation]);
        var privateOptions = JsonDocument.Parse(Jwe.Decrypt(jwe, rsaPrivate)).RootElement;
        Assert.Equal(plain.Digest.Value, privateOptions.GetProperty("digest").GetString());
        Assert.Equal(32, privateOptions.GetProperty("symkey").GetBytesFromBase64().Length);
        Assert.Equal(16, privateOptions.GetProperty("cipheroptions").GetProperty("nonce").GetBytesFromBase64().Length);

        foreach (var key in new[] { rsaPrivate, ecPrivate })
        {
            using var decrypting = LayerEncryptor.Decrypt(encrypted, new MemoryStream(ciphertext), key);
            Assert.Equal(plain, decrypting.Descriptor with { Urls = plain.Urls, Annotations = plain.Annotations });
            Assert.Equal("me", decrypting.Descriptor.Annotations!.Single(a => a.Key == "keep").Value);
            using var output = new MemoryStream();
            decrypting.Plaintext.CopyTo(output);
            Assert.Equal(plaintext, output.ToArray());
        }
    }

    [Fact]
    public void A_key_of_no_recipient_is_refused_before_any_byte()
    {
        var plaintext = RandomNumberGenerator.GetBytes(100);
        var (encrypted, ciphertext) = Encrypt(Layer(plaintext), plaintext, TestKeys.Rsa().Public);
        var error = Assert.Throws<LayerDecryptionException>(() => LayerEncryptor.Decrypt(encrypted, new MemoryStream(ciphertext), TestKeys.Rsa().Private));
        Assert.Contains("cannot decrypt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_hmac_annotation_fails_at_the_end_of_the_layer()
    {
        var (rsaPublic, rsaPrivate) = TestKeys.Rsa();
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var (encrypted, ciphertext) = Encrypt(Layer(plaintext), plaintext, rsaPublic);
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"" + Convert.ToBase64String(new byte[32]) + "\",\"cipheroptions\":{}}"));
        var tampered = encrypted with
        {
            Annotations = new Dictionary<string, string>(encrypted.Annotations!) { [LayerEncryptor.PublicOptionsAnnotation] = forged },
        };
        using var decrypting = LayerEncryptor.Decrypt(tampered, new MemoryStream(ciphertext), rsaPrivate);
        Assert.Throws<LayerDecryptionException>(() => decrypting.Plaintext.CopyTo(Stream.Null));
    }

    [Fact]
    public void Unencrypted_layers_and_missing_annotations_are_refused_clearly()
    {
        var plain = Layer([1, 2, 3]);
        Assert.Throws<LayerDecryptionException>(() => LayerEncryptor.Decrypt(plain, new MemoryStream(), TestKeys.Ec().Private));
        var bare = plain with { MediaType = GzipLayer + "+encrypted" };
        var error = Assert.Throws<LayerDecryptionException>(() => LayerEncryptor.Decrypt(bare, new MemoryStream(), TestKeys.Ec().Private));
        Assert.Contains(LayerEncryptor.KeysAnnotation, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LayerEncryptor.Encrypt(bare, new MemoryStream(), [TestKeys.Ec().Public]));
    }

    private static Descriptor Layer(byte[] content, IReadOnlyDictionary<string, string>? annotations = null) =>
        new(GzipLayer, Digest.Compute(content), content.Length, null, [], annotations);

    private static (Descriptor Encrypted, byte[] Ciphertext) Encrypt(Descriptor plain, byte[] plaintext, params JweRecipient[] recipients)
    {
        using var encrypting = LayerEncryptor.Encrypt(plain, new MemoryStream(plaintext), recipients);
        using var output = new MemoryStream();
        encrypting.Ciphertext.CopyTo(output);
        return (encrypting.Complete(), output.ToArray());
    }
}
