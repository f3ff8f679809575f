using System.Security.Cryptography;

namespace Dockyard.Interop.Tests.Encryption;

/// <summary>An RSA or EC key pair written as PEM files (private.pem, public.pem) for skopeo and the dockyard CLI.</summary>
public sealed record KeyFiles(string PrivatePem, string PublicPem)
{
    public static KeyFiles Rsa(string folder)
    {
        using var rsa = RSA.Create(2048);
        return Write(folder, rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>
    /// A P-256 key, the private half in PKCS#8 ("PRIVATE KEY"): skopeo 1.9 finds no private key in a SEC1
    /// "EC PRIVATE KEY" file (as <c>openssl ecparam -genkey</c> writes it) and says "missing private key needed for
    /// decryption"; Dockyard reads both forms.
    /// </summary>
    public static KeyFiles Ec(string folder)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Write(folder, ec.ExportPkcs8PrivateKeyPem(), ec.ExportSubjectPublicKeyInfoPem());
    }

    private static KeyFiles Write(string folder, string privatePem, string publicPem)
    {
        Directory.CreateDirectory(folder);
        var keys = new KeyFiles(Path.Combine(folder, "private.pem"), Path.Combine(folder, "public.pem"));
        File.WriteAllText(keys.PrivatePem, privatePem);
        File.WriteAllText(keys.PublicPem, publicPem);
        return keys;
    }
}
