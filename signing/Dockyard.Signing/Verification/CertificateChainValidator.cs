using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Checks a signing certificate chain (leaf first) against configured root certificates only: no system roots, no
/// revocation lookups, no downloads. The leaf must be valid now and at the signing time, and must be fit for code
/// signing: key usage digitalSignature, and the codeSigning purpose when it names extended purposes.
/// </summary>
internal static class CertificateChainValidator
{
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <returns>Null when the chain is trusted; else the reason it is not.</returns>
    public static string? Validate(X509Certificate2Collection chain, X509Certificate2Collection roots, DateTimeOffset now, DateTimeOffset? signingTime)
    {
        var leaf = chain[0];
        foreach (var (time, what) in new[] { (now, "now"), (signingTime ?? now, "at signing time") })
        {
            if (time.UtcDateTime < leaf.NotBefore.ToUniversalTime() || time.UtcDateTime > leaf.NotAfter.ToUniversalTime())
            {
                return $"signing certificate '{leaf.Subject}' is not valid {what} (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})";
            }
        }
        if (leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage
            || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return $"signing certificate '{leaf.Subject}' lacks key usage digitalSignature";
        }
        if (leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } purposes
            && !purposes.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == CodeSigningOid))
        {
            return $"signing certificate '{leaf.Subject}' is not for code signing";
        }
        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.AddRange(roots);
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.DisableCertificateDownloads = true;
        builder.ChainPolicy.VerificationTime = now.UtcDateTime;
        builder.ChainPolicy.VerificationTimeIgnored = false;
        for (var i = 1; i < chain.Count; i++)
        {
            builder.ChainPolicy.ExtraStore.Add(chain[i]);
        }
        if (!builder.Build(leaf))
        {
            var status = string.Join("; ", builder.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return $"certificate chain of '{leaf.Subject}' does not lead to a configured trust root ({status})";
        }
        var anchor = builder.ChainElements[^1].Certificate;
        return roots.Any(r => r.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span))
            ? null
            : $"certificate chain of '{leaf.Subject}' ends at '{anchor.Subject}', which is not a configured trust root";
    }
}
