using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// TLS between agents: the certificate this agent's peer endpoint serves (then announced as <c>https://host:port</c>)
/// and the CA certificates other agents' certificates must chain to. Pieces are verified against the registry's hashes
/// either way; TLS keeps who fetches which layer, and the blob tokens they show, from the network in between.
/// </summary>
internal static class PeerTls
{
    /// <summary>The certificate and key (PEM files) the peer endpoint serves.</summary>
    /// <exception cref="LaunchException">Usage, naming the flag, when a file is missing or not a PEM certificate and key.</exception>
    public static X509Certificate2 LoadServerCertificate(string certificateFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Exported and re-imported: a key loaded from PEM is ephemeral, which some TLS stacks refuse to use.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new LaunchException(LaunchFailure.Usage, $"--peer-tls-cert '{certificateFile}' / --peer-tls-key '{keyFile}': {e.Message}", e);
        }
    }

    /// <summary>The CA certificates (one PEM file, any number of certificates) peers' certificates must chain to.</summary>
    /// <exception cref="LaunchException">Usage, naming the flag, when the file holds no certificate.</exception>
    public static X509Certificate2Collection LoadAuthorities(string file)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new LaunchException(LaunchFailure.Usage, $"--peer-ca '{file}': {e.Message}", e);
        }
        return authorities.Count > 0 ? authorities : throw new LaunchException(LaunchFailure.Usage, $"--peer-ca '{file}': no PEM certificate in it");
    }

    /// <summary>
    /// Checks a peer's certificate against <paramref name="authorities"/> only (not the machine's store): it must chain
    /// to one of them and name the address the peer was announced at (an IP SAN for agents announced by address).
    /// </summary>
    public static bool Validate(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }
}
