using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Http.Auth;

/// <summary>
/// The key id Docker's libtrust gives a public key: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32
/// without padding, in 12 groups of 4 characters joined by ':'. Distribution matches token <c>kid</c>s this way.
/// </summary>
public static class LibtrustKeyId
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        var hash = SHA256.HashData(spki)[..30];
        var base32 = new StringBuilder(48);
        for (var i = 0; i < hash.Length; i += 5)
        {
            ulong block = 0;
            for (var j = 0; j < 5; j++)
            {
                block = (block << 8) | hash[i + j];
            }
            for (var shift = 35; shift >= 0; shift -= 5)
            {
                base32.Append(Alphabet[(int)((block >> shift) & 31)]);
            }
        }
        var text = base32.ToString();
        return string.Join(':', Enumerable.Range(0, 12).Select(g => text.Substring(g * 4, 4)));
    }
}
