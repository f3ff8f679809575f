using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Dockyard.Signing.Verification;

/// <summary>
/// A Notary Project JWS envelope (flattened JWS JSON serialization): the decoded payload, the protected header, the
/// <c>x5c</c> certificate chain of the unprotected header (leaf first) and the signature over
/// <c>ASCII(protected '.' payload)</c>.
/// </summary>
internal sealed class JwsEnvelope : IDisposable
{
    private JwsEnvelope(byte[] payload, JsonDocument header, X509Certificate2Collection chain, byte[] signingInput, byte[] signature)
    {
        Payload = payload;
        Header = header;
        Chain = chain;
        SigningInput = signingInput;
        Signature = signature;
    }

    public byte[] Payload { get; }

    public JsonDocument Header { get; }

    public X509Certificate2Collection Chain { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public X509Certificate2 Leaf => Chain[0];

    public string? HeaderString(string name) =>
        Header.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <exception cref="SignatureFormatException">When the envelope is not a flattened JWS with an x5c chain.</exception>
    public static JwsEnvelope Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var protectedText = root.GetProperty("protected").GetString()!;
            var payloadText = root.GetProperty("payload").GetString()!;
            var signature = Base64Url(root.GetProperty("signature").GetString()!);
            var header = JsonDocument.Parse(Base64Url(protectedText));
            var chain = new X509Certificate2Collection();
            foreach (var certificate in root.GetProperty("header").GetProperty("x5c").EnumerateArray())
            {
                chain.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate.GetString()!)));
            }
            if (chain.Count == 0)
            {
                throw new SignatureFormatException("JWS envelope has an empty x5c");
            }
            return new JwsEnvelope(Base64Url(payloadText), header, chain, Encoding.ASCII.GetBytes(protectedText + "." + payloadText), signature);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or CryptographicException)
        {
            throw new SignatureFormatException($"not a Notary JWS envelope: {e.Message}", e);
        }
    }

    /// <summary>Verifies the signature with the leaf's key; <c>alg</c> must match the key (no algorithm substitution).</summary>
    /// <exception cref="SignatureFormatException">When the algorithm is unsupported or does not fit the key.</exception>
    public bool VerifySignature()
    {
        var alg = HeaderString("alg");
        switch (alg)
        {
            case "ES256" or "ES384" or "ES512":
                using (var ec = Leaf.GetECDsaPublicKey() ?? throw new SignatureFormatException($"alg {alg} but the leaf key is not ECDSA"))
                {
                    var (curve, hash) = alg switch
                    {
                        "ES256" => ("1.2.840.10045.3.1.7", HashAlgorithmName.SHA256),
                        "ES384" => ("1.3.132.0.34", HashAlgorithmName.SHA384),
                        _ => ("1.3.132.0.35", HashAlgorithmName.SHA512),
                    };
                    if (ec.ExportParameters(false).Curve.Oid.Value != curve)
                    {
                        throw new SignatureFormatException($"alg {alg} does not match the leaf key's curve");
                    }
                    return ec.VerifyData(SigningInput, Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            case "PS256" or "PS384" or "PS512":
                using (var rsa = Leaf.GetRSAPublicKey() ?? throw new SignatureFormatException($"alg {alg} but the leaf key is not RSA"))
                {
                    if (rsa.KeySize < 2048)
                    {
                        throw new SignatureFormatException($"RSA key of {rsa.KeySize} bits is too small");
                    }
                    var hash = alg switch { "PS256" => HashAlgorithmName.SHA256, "PS384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                    return rsa.VerifyData(SigningInput, Signature, hash, RSASignaturePadding.Pss);
                }
            default:
                throw new SignatureFormatException($"unsupported JWS alg '{alg}'");
        }
    }

    public void Dispose()
    {
        Header.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(padded);
    }
}
