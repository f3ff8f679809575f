using System.Security.Cryptography;
using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>Fresh key pairs in PEM, loaded the way the CLI loads key files.</summary>
internal static class TestKeys
{
    public static (JweRecipient Public, JwePrivateKey Private) Rsa(int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        return (JweRecipient.FromPem(rsa.ExportSubjectPublicKeyInfoPem()), JwePrivateKey.FromPem(rsa.ExportRSAPrivateKeyPem()));
    }

    public static (JweRecipient Public, JwePrivateKey Private) Ec(ECCurve? curve = null)
    {
        using var ec = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        return (JweRecipient.FromPem(ec.ExportSubjectPublicKeyInfoPem()), JwePrivateKey.FromPem(ec.ExportECPrivateKeyPem()));
    }
}
