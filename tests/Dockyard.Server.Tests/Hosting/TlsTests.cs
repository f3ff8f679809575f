using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Testing;

namespace Dockyard.Server.Tests.Hosting;

/// <summary><c>listenmode = https</c> with PEM <c>httpscertfile</c>/<c>httpskeyfile</c> serves TLS.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Https_listen_mode_serves_the_registry_over_tls_with_the_configured_certificate()
    {
        var folder = Directory.CreateTempSubdirectory("dockyard-tls-").FullName;
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            var certFile = Path.Combine(folder, "registry.crt");
            var keyFile = Path.Combine(folder, "registry.key");
            await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

            await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
            {
                ["listenmode"] = "https",
                ["httpscertfile"] = certFile,
                ["httpskeyfile"] = keyFile,
            });
            Assert.Equal("https", server.BaseAddress.Scheme);
            X509Certificate2? seen = null;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, cert, _, _) => { seen = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.RawData); return true; },
            };
            using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
            using var response = await client.GetAsync("/v2/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(certificate.Thumbprint, seen?.Thumbprint);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
