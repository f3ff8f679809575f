using System.Security.Cryptography;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// A JWE recipient's public key, read from PEM (SubjectPublicKeyInfo or PKCS#1; a private key PEM works too): RSA
/// keys get RSA-OAEP, EC keys (P-256, P-384, P-521) get ECDH-ES+A256KW, as ocicrypt chooses.
/// </summary>
public sealed class JweRecipient : IDisposable
{
    private JweRecipient(RSA? rsa, ECDiffieHellman? ec)
    {
        Rsa = rsa;
        Ec = ec;
    }

    /// <summary>The RSA key; null for an EC key.</summary>
    public RSA? Rsa { get; }

    /// <summary>The EC key; null for an RSA key.</summary>
    public ECDiffieHellman? Ec { get; }

    /// <exception cref="CryptographicException">The text holds no RSA or EC key.</exception>
    public static JweRecipient FromPem(string pem)
    {
        var (rsa, ec) = JweKeyPem.Import(pem);
        return new JweRecipient(rsa, ec);
    }

    public static JweRecipient FromPemFile(string path) => FromPem(File.ReadAllText(path));

    public void Dispose()
    {
        Rsa?.Dispose();
        Ec?.Dispose();
    }
}

/// <summary>A private key that may unwrap JWE recipients: RSA (RSA-OAEP, RSA-OAEP-256) or EC (ECDH-ES+A*KW), from PEM.</summary>
public sealed class JwePrivateKey : IDisposable
{
    private JwePrivateKey(RSA? rsa, ECDiffieHellman? ec)
    {
        Rsa = rsa;
        Ec = ec;
    }

    /// <summary>The RSA key; null for an EC key.</summary>
    public RSA? Rsa { get; }

    /// <summary>The EC key; null for an RSA key.</summary>
    public ECDiffieHellman? Ec { get; }

    /// <exception cref="CryptographicException">The text holds no RSA or EC private key (PKCS#8, PKCS#1, SEC1).</exception>
    public static JwePrivateKey FromPem(string pem)
    {
        var (rsa, ec) = JweKeyPem.Import(pem);
        var hasPrivate = rsa is not null ? HasPrivate(() => rsa.ExportParameters(true)) : HasPrivate(() => ec!.ExportParameters(true));
        if (!hasPrivate)
        {
            rsa?.Dispose();
            ec?.Dispose();
            throw new CryptographicException("the PEM holds a public key; decryption needs the private key");
        }
        return new JwePrivateKey(rsa, ec);
    }

    public static JwePrivateKey FromPemFile(string path) => FromPem(File.ReadAllText(path));

    public void Dispose()
    {
        Rsa?.Dispose();
        Ec?.Dispose();
    }

    private static bool HasPrivate(Action export)
    {
        try
        {
            export();
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

internal static class JweKeyPem
{
    public static (RSA? Rsa, ECDiffieHellman? Ec) Import(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return (rsa, null);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }
        var ec = ECDiffieHellman.Create();
        try
        {
            ec.ImportFromPem(pem);
            return (null, ec);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            throw new CryptographicException("no RSA or EC key found in the PEM text", e);
        }
    }
}
