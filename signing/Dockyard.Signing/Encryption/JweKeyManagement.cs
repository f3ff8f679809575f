using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Dockyard.Signing.Encryption;

/// <summary>Per-recipient content-key wrapping for JWE: RSA-OAEP (SHA-1, as go-jose's RSA_OAEP), ECDH-ES+A256KW.</summary>
internal static class JweKeyManagement
{
    public const string RsaOaep = "RSA-OAEP";
    public const string RsaOaep256 = "RSA-OAEP-256";
    public const string EcdhEsA256Kw = "ECDH-ES+A256KW";

    /// <summary>Writes one entry of "recipients": its unprotected header (alg, epk) and encrypted_key.</summary>
    public static void WriteRecipient(Utf8JsonWriter json, JweRecipient recipient, byte[] cek)
    {
        json.WriteStartObject();
        json.WriteStartObject("header");
        byte[] encryptedKey;
        if (recipient.Rsa is { } rsa)
        {
            json.WriteString("alg", RsaOaep);
            encryptedKey = rsa.Encrypt(cek, RSAEncryptionPadding.OaepSHA1);
        }
        else
        {
            var ec = recipient.Ec!;
            json.WriteString("alg", EcdhEsA256Kw);
            using var ephemeral = ECDiffieHellman.Create(ec.ExportParameters(false).Curve);
            WriteEpk(json, ephemeral.ExportParameters(false));
            var z = ephemeral.DeriveRawSecretAgreement(ec.PublicKey);
            var kek = ConcatKdf.DeriveKey(z, EcdhEsA256Kw, 256, [], []);
            encryptedKey = AesKeyWrap.Wrap(kek, cek);
            CryptographicOperations.ZeroMemory(z);
            CryptographicOperations.ZeroMemory(kek);
        }
        json.WriteEndObject();
        json.WriteString("encrypted_key", Base64Url.EncodeToString(encryptedKey));
        json.WriteEndObject();
    }

    /// <summary>The content key of one recipient, or null when <paramref name="key"/> does not fit its algorithm.</summary>
    /// <exception cref="CryptographicException">The key fits the algorithm but cannot unwrap (another recipient's key).</exception>
    public static byte[]? Unwrap(JwePrivateKey key, IReadOnlyDictionary<string, JsonElement> header, byte[] encryptedKey)
    {
        var alg = header.TryGetValue("alg", out var a) ? a.GetString() : null;
        switch (alg)
        {
            case RsaOaep when key.Rsa is { } rsa:
                return rsa.Decrypt(encryptedKey, RSAEncryptionPadding.OaepSHA1);
            case RsaOaep256 when key.Rsa is { } rsa:
                return rsa.Decrypt(encryptedKey, RSAEncryptionPadding.OaepSHA256);
            case EcdhEsA256Kw when key.Ec is { } ec:
                if (!header.TryGetValue("epk", out var epk))
                {
                    throw new CryptographicException("ECDH-ES recipient without epk");
                }
                using (var peer = ECDiffieHellman.Create(ReadEpk(epk)))
                {
                    if (peer.KeySize != ec.KeySize)
                    {
                        return null;
                    }
                    var z = ec.DeriveRawSecretAgreement(peer.PublicKey);
                    var kek = ConcatKdf.DeriveKey(z, EcdhEsA256Kw, 256, Party(header, "apu"), Party(header, "apv"));
                    try
                    {
                        return AesKeyWrap.Unwrap(kek, encryptedKey);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(z);
                        CryptographicOperations.ZeroMemory(kek);
                    }
                }
            default:
                return null;
        }
    }

    private static byte[] Party(IReadOnlyDictionary<string, JsonElement> header, string name) =>
        header.TryGetValue(name, out var value) ? Base64Url.DecodeFromChars(value.GetString()) : [];

    private static void WriteEpk(Utf8JsonWriter json, ECParameters parameters)
    {
        json.WriteStartObject("epk");
        json.WriteString("kty", "EC");
        json.WriteString("crv", CurveName(parameters.Curve));
        json.WriteString("x", Base64Url.EncodeToString(parameters.Q.X));
        json.WriteString("y", Base64Url.EncodeToString(parameters.Q.Y));
        json.WriteEndObject();
    }

    private static ECParameters ReadEpk(JsonElement epk)
    {
        if (epk.GetProperty("kty").GetString() != "EC")
        {
            throw new CryptographicException("epk is not an EC key");
        }
        var parameters = new ECParameters
        {
            Curve = epk.GetProperty("crv").GetString() switch
            {
                "P-256" => ECCurve.NamedCurves.nistP256,
                "P-384" => ECCurve.NamedCurves.nistP384,
                "P-521" => ECCurve.NamedCurves.nistP521,
                var other => throw new CryptographicException($"unsupported epk curve {other}"),
            },
            Q = new ECPoint
            {
                X = Base64Url.DecodeFromChars(epk.GetProperty("x").GetString()),
                Y = Base64Url.DecodeFromChars(epk.GetProperty("y").GetString()),
            },
        };
        parameters.Validate();
        return parameters;
    }

    private static string CurveName(ECCurve curve) => (curve.Oid.Value, curve.Oid.FriendlyName) switch
    {
        ("1.2.840.10045.3.1.7", _) or (_, "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1") => "P-256",
        ("1.3.132.0.34", _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
        ("1.3.132.0.35", _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
        var (value, name) => throw new CryptographicException($"unsupported EC curve {name ?? value}"),
    };
}
