using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Core.P2P;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

/// <summary>
/// Agents exchanging pieces over TLS: one serving with a certificate from a CA made here, announced as https://; an
/// agent trusting that CA takes every piece from it, one trusting another CA refuses it and goes to the registry.
/// </summary>
public sealed class PeerTlsTests : IDisposable
{
    private static readonly byte[] Layer = TestBlobs.Random(2 * BlobPieces.DefaultPieceSize + 777, seed: 41);
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-peer-tls-").FullName;

    [Fact]
    public async Task An_agent_fetches_over_tls_from_a_peer_whose_certificate_chains_to_its_CA_and_refuses_another()
    {
        var (caFile, certFile, keyFile) = WriteAuthorityAndLeaf("trusted");
        var (otherCa, _, _) = WriteAuthorityAndLeaf("other");
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var seeder = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword,
            configure: o => o with { PeerCertificate = PeerTls.LoadServerCertificate(certFile, keyFile) });
        Assert.Equal(Layer, await TestBlobs.PullAsync(seeder, "alice/app", digest));
        Assert.Equal("https://" + seeder.PeerAddress, seeder.AdvertisedAddress);
        await registry.WaitForPeerAsync("alice/app", digest, seeder.AdvertisedAddress);

        var trusting = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword,
            configure: o => o with { PeerAuthorities = PeerTls.LoadAuthorities(caFile) });
        Assert.Equal(Layer, await TestBlobs.PullAsync(trusting, "alice/app", digest));
        Assert.Equal(Layer.Length, trusting.Stats.BytesFromPeers);
        Assert.Equal(Layer.Length, seeder.Stats.BytesServedToPeers);
        // Only the TLS seeder may serve the next agent: the plain one goes away.
        await registry.StopAgentAsync(trusting);

        var distrusting = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword,
            configure: o => o with { PeerAuthorities = PeerTls.LoadAuthorities(otherCa) });
        Assert.Equal(Layer, await TestBlobs.PullAsync(distrusting, "alice/app", digest));
        Assert.Equal(0, distrusting.Stats.BytesFromPeers);
        Assert.Equal(Layer.Length, distrusting.Stats.BytesFromRegistry);
        Assert.True(distrusting.Stats.PeerFailures > 0);
        Assert.Equal(Layer.Length, seeder.Stats.BytesServedToPeers);
    }

    [Fact]
    public void A_ca_file_without_a_certificate_names_its_flag()
    {
        var empty = Path.Combine(folder, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");
        var error = Assert.Throws<Launcher.LaunchException>(() => PeerTls.LoadAuthorities(empty));
        Assert.Contains("--peer-ca", error.Message);
    }

    // A CA and a server certificate it signed for 127.0.0.1 (the address agents announce here), as PEM files.
    private (string Ca, string Certificate, string Key) WriteAuthorityAndLeaf(string name)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=Dockyard test peers CA {name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=agent", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(12));

        var files = (Path.Combine(folder, name + "-ca.pem"), Path.Combine(folder, name + ".pem"), Path.Combine(folder, name + ".key"));
        File.WriteAllText(files.Item1, ca.ExportCertificatePem());
        File.WriteAllText(files.Item2, leaf.ExportCertificatePem());
        File.WriteAllText(files.Item3, leafKey.ExportPkcs8PrivateKeyPem());
        return files;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
