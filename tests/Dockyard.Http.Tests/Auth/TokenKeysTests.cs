using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Http.Auth;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.Tests.Auth;

/// <summary>Token keys from PEM files: RSA keys sign RS256, EC keys ES256, and only the bundle's keys verify.</summary>
public sealed class TokenKeysTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-tokenkeys-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task An_rsa_key_signs_RS256_tokens_that_its_certificate_verifies()
    {
        using var rsa = RSA.Create(2048);
        var (key, certificate) = Write("rsa", rsa.ExportPkcs8PrivateKeyPem(),
            new CertificateRequest("CN=rsa issuer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var keys = TokenKeys.Load(key, certificate);
        Assert.Equal(SecurityAlgorithms.RsaSha256, keys.Signing!.Algorithm);

        var options = new RegistryAuthOptions { Enforced = true, Keys = keys };
        var token = new TokenIssuer(options, TimeProvider.System).Issue("alice", "", [new ResourceScope("repository", "alice/app", ["pull"])]);
        var header = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.Decode(token.Token.Split('.')[0])).RootElement;
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal(LibtrustKeyId.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()), header.GetProperty("kid").GetString());

        var claims = await new TokenValidator(options, TimeProvider.System).ValidateAsync(token.Token);
        Assert.NotNull(claims);
        Assert.Equal("alice", claims.Subject);
        Assert.Equal(["pull"], Assert.Single(claims.Access).Actions);
    }

    [Fact]
    public async Task A_bundle_without_the_signing_certificate_does_not_verify_its_tokens()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (key, _) = Write("signer", signer.ExportPkcs8PrivateKeyPem(), new CertificateRequest("CN=signer", signer, HashAlgorithmName.SHA256));
        var (_, otherCertificate) = Write("other", other.ExportPkcs8PrivateKeyPem(), new CertificateRequest("CN=other", other, HashAlgorithmName.SHA256));
        var options = new RegistryAuthOptions { Enforced = true, Keys = TokenKeys.Load(key, otherCertificate) };

        var token = new TokenIssuer(options, TimeProvider.System).Issue("alice", "", []);

        Assert.Null(await new TokenValidator(options, TimeProvider.System).ValidateAsync(token.Token));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_generated_private_key_is_readable_by_its_owner_only()
    {
        var key = Path.Combine(folder, "generated", "token.key");
        var certificate = Path.Combine(folder, "generated", "token.crt");
        TokenKeys.Generate(key, certificate, "issuer");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.NotNull(TokenKeys.Load(key, certificate).Signing);
    }

    private (string Key, string Certificate) Write(string name, string keyPem, CertificateRequest request)
    {
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var key = Path.Combine(folder, name + ".key");
        var cert = Path.Combine(folder, name + ".crt");
        File.WriteAllText(key, keyPem);
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        return (key, cert);
    }
}
