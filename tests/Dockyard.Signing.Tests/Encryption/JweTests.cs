using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>JWE JSON general serialization for several recipients, as ocicrypt writes and reads it.</summary>
public sealed class JweTests
{
    [Fact]
    public void Two_recipients_rsa_and_ec_each_decrypt_the_payload()
    {
        var (rsaPublic, rsaPrivate) = TestKeys.Rsa();
        var (ecPublic, ecPrivate) = TestKeys.Ec();
        var payload = """{"symkey":"AAAA","digest":"sha256:00","cipheroptions":{"nonce":"AA=="}}"""u8.ToArray();

        var jwe = Jwe.Encrypt(payload, [rsaPublic, ecPublic]);

        Assert.Equal(payload, Jwe.Decrypt(jwe, rsaPrivate));
        Assert.Equal(payload, Jwe.Decrypt(jwe, ecPrivate));
        using var json = JsonDocument.Parse(jwe);
        var root = json.RootElement;
        Assert.Equal("""{"enc":"A256GCM"}""", System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(root.GetProperty("protected").GetString())));
        var recipients = root.GetProperty("recipients").EnumerateArray().ToList();
        Assert.Equal("RSA-OAEP", recipients[0].GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal(256, Base64Url.DecodeFromChars(recipients[0].GetProperty("encrypted_key").GetString()).Length);
        Assert.Equal("ECDH-ES+A256KW", recipients[1].GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal("P-256", recipients[1].GetProperty("header").GetProperty("epk").GetProperty("crv").GetString());
        Assert.Equal(40, Base64Url.DecodeFromChars(recipients[1].GetProperty("encrypted_key").GetString()).Length);
        Assert.Equal(12, Base64Url.DecodeFromChars(root.GetProperty("iv").GetString()).Length);
    }

    [Fact]
    public void P384_and_p521_recipients_work()
    {
        var (p384Public, p384Private) = TestKeys.Ec(ECCurve.NamedCurves.nistP384);
        var (p521Public, p521Private) = TestKeys.Ec(ECCurve.NamedCurves.nistP521);
        var jwe = Jwe.Encrypt("secret"u8, [p384Public, p521Public]);
        Assert.Equal("secret"u8.ToArray(), Jwe.Decrypt(jwe, p384Private));
        Assert.Equal("secret"u8.ToArray(), Jwe.Decrypt(jwe, p521Private));
    }

    [Fact]
    public void A_key_that_is_no_recipient_is_refused()
    {
        var (rsaPublic, _) = TestKeys.Rsa();
        var (ecPublic, _) = TestKeys.Ec();
        var jwe = Jwe.Encrypt("secret"u8, [rsaPublic, ecPublic]);
        Assert.Throws<CryptographicException>(() => Jwe.Decrypt(jwe, TestKeys.Rsa().Private));
        Assert.Throws<CryptographicException>(() => Jwe.Decrypt(jwe, TestKeys.Ec().Private));
    }

    [Fact]
    public void Tampered_ciphertext_fails_gcm_authentication()
    {
        var (rsaPublic, rsaPrivate) = TestKeys.Rsa();
        var jwe = JsonDocument.Parse(Jwe.Encrypt("secret payload"u8, [rsaPublic])).RootElement;
        var ciphertext = Base64Url.DecodeFromChars(jwe.GetProperty("ciphertext").GetString());
        ciphertext[0] ^= 1;
        var tampered = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["protected"] = jwe.GetProperty("protected").GetString()!,
            ["recipients"] = jwe.GetProperty("recipients"),
            ["iv"] = jwe.GetProperty("iv").GetString()!,
            ["ciphertext"] = Base64Url.EncodeToString(ciphertext),
            ["tag"] = jwe.GetProperty("tag").GetString()!,
        });
        Assert.ThrowsAny<CryptographicException>(() => Jwe.Decrypt(tampered, rsaPrivate));
    }

    [Fact]
    public void Openssl_ecparam_genkey_output_with_its_parameters_block_loads()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + ec.ExportECPrivateKeyPem();
        using var key = JwePrivateKey.FromPem(pem);
        using var recipient = JweRecipient.FromPem(ec.ExportSubjectPublicKeyInfoPem());
        Assert.Equal("x"u8.ToArray(), Jwe.Decrypt(Jwe.Encrypt("x"u8, [recipient]), key));
    }

    [Fact]
    public void A_public_key_cannot_be_loaded_as_a_private_key()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<CryptographicException>(() => JwePrivateKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.Throws<CryptographicException>(() => JweRecipient.FromPem("not a key"));
    }
}
