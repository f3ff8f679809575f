using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// The Concat KDF of NIST SP 800-56A with SHA-256, as JWA (RFC 7518 §4.6.2) uses it for ECDH-ES: OtherInfo is
/// AlgorithmID || PartyUInfo || PartyVInfo (each length-prefixed) || SuppPubInfo (the key length in bits).
/// </summary>
public static class ConcatKdf
{
    public static byte[] DeriveKey(ReadOnlySpan<byte> sharedSecret, string algorithm, int keyBits, ReadOnlySpan<byte> apu, ReadOnlySpan<byte> apv)
    {
        var otherInfo = new List<byte>();
        AppendPrefixed(otherInfo, Encoding.ASCII.GetBytes(algorithm));
        AppendPrefixed(otherInfo, apu);
        AppendPrefixed(otherInfo, apv);
        AppendUInt32(otherInfo, (uint)keyBits);
        var keyBytes = keyBits / 8;
        var result = new byte[keyBytes];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> round = stackalloc byte[4];
        for (uint counter = 1, offset = 0; offset < keyBytes; counter++, offset += 32)
        {
            BinaryPrimitives.WriteUInt32BigEndian(round, counter);
            sha.AppendData(round);
            sha.AppendData(sharedSecret);
            sha.AppendData(otherInfo.ToArray());
            var digest = sha.GetHashAndReset();
            digest.AsSpan(0, Math.Min(32, keyBytes - (int)offset)).CopyTo(result.AsSpan((int)offset));
        }
        return result;
    }

    private static void AppendPrefixed(List<byte> target, ReadOnlySpan<byte> data)
    {
        AppendUInt32(target, (uint)data.Length);
        target.AddRange(data);
    }

    private static void AppendUInt32(List<byte> target, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        target.AddRange(bytes);
    }
}
