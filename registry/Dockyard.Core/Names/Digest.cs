using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Names;

/// <summary>
/// A content digest <c>algorithm:hex</c>. sha256 and sha512 are supported; the hex part is lower case and
/// of the algorithm's exact length, so a digest is safe to use as a path component or a key.
/// </summary>
public sealed record Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
        Value = algorithm + ":" + hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    public string Value { get; }

    public static bool IsSupportedAlgorithm(string algorithm) => algorithm is Sha256 or Sha512;

    public static bool TryParse(string? text, [NotNullWhen(true)] out Digest? digest)
    {
        digest = null;
        if (text is null)
        {
            return false;
        }
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        if (HexLength(algorithm) is not { } length || hex.Length != length || !IsLowerHex(hex))
        {
            return false;
        }
        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <exception cref="RegistryException">DIGEST_INVALID when the text is not a supported digest.</exception>
    public static Digest Parse(string? text) =>
        TryParse(text, out var digest)
            ? digest
            : throw new RegistryException(RegistryErrorCode.DigestInvalid, "invalid or unsupported digest", new { digest = text });

    /// <summary>An incremental hash of this digest's algorithm.</summary>
    public static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new RegistryException(RegistryErrorCode.DigestInvalid, "unsupported digest algorithm", new { algorithm }),
    };

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256) => algorithm switch
    {
        Sha256 => FromHash(algorithm, SHA256.HashData(content)),
        Sha512 => FromHash(algorithm, SHA512.HashData(content)),
        _ => throw new RegistryException(RegistryErrorCode.DigestInvalid, "unsupported digest algorithm", new { algorithm }),
    };

    public override string ToString() => Value;

    private static int? HexLength(string algorithm) => algorithm switch
    {
        Sha256 => 64,
        Sha512 => 128,
        _ => null,
    };

    private static bool IsLowerHex(string hex)
    {
        foreach (var c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }
        return true;
    }
}
