using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.Auth;

/// <summary>
/// The token signing key (<c>[auth_server] privateKey</c>, EC P-256 → ES256 or RSA → RS256, PEM) and the certificates
/// whose keys verify tokens (<c>[token] rootcertbundle</c>, PEM). Keys carry libtrust key ids.
/// </summary>
public sealed class TokenKeys
{
    private TokenKeys(SigningCredentials? signing, IReadOnlyList<SecurityKey> verification)
    {
        Signing = signing;
        Verification = verification;
    }

    /// <summary>Null when this node only verifies tokens (no private key configured).</summary>
    public SigningCredentials? Signing { get; }

    public IReadOnlyList<SecurityKey> Verification { get; }

    /// <param name="privateKeyPath">PEM private key; null for a verify-only node.</param>
    /// <param name="certificateBundlePath">PEM certificates; each one's public key verifies tokens.</param>
    public static TokenKeys Load(string? privateKeyPath, string certificateBundlePath)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(certificateBundlePath);
        if (certificates.Count == 0)
        {
            throw new InvalidOperationException($"'{certificateBundlePath}' holds no PEM certificate");
        }
        var verification = certificates.Select(PublicKeyOf).ToList();
        return new TokenKeys(privateKeyPath is null ? null : LoadSigning(File.ReadAllText(privateKeyPath)), verification);
    }

    /// <summary>Writes a new EC P-256 key and a self-signed certificate for it (development start-up without keys).</summary>
    public static void Generate(string privateKeyPath, string certificatePath, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        foreach (var path in new[] { privateKeyPath, certificatePath })
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }
        }
        // Created 0600, not chmod-ed after writing: the key must never be readable by others, not even for a moment. A
        // file left there (a key without its certificate) is replaced, not rewritten, so that its old mode goes with it.
        File.Delete(privateKeyPath);
        var owner = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(privateKeyPath, owner))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }

    private static SecurityKey PublicKeyOf(X509Certificate2 certificate)
    {
        var keyId = LibtrustKeyId.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        return certificate.GetECDsaPublicKey() is { } ec
            ? new ECDsaSecurityKey(ec) { KeyId = keyId }
            : new RsaSecurityKey(certificate.GetRSAPublicKey() ?? throw new InvalidOperationException($"certificate '{certificate.Subject}' has neither an EC nor an RSA key")) { KeyId = keyId };
    }

    private static SigningCredentials LoadSigning(string pem)
    {
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            var key = new ECDsaSecurityKey(ec) { KeyId = LibtrustKeyId.FromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo()) };
            var algorithm = ec.KeySize switch
            {
                384 => SecurityAlgorithms.EcdsaSha384,
                521 => SecurityAlgorithms.EcdsaSha512,
                _ => SecurityAlgorithms.EcdsaSha256,
            };
            return new SigningCredentials(key, algorithm);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            var key = new RsaSecurityKey(rsa) { KeyId = LibtrustKeyId.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()) };
            return new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        }
    }
}
