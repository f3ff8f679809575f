using System.Buffers.Binary;
using Dockyard.Core.Names;

namespace Dockyard.Core.Collection;

/// <summary>
/// The set of blobs a collection keeps, sized for millions: a sha256 digest is held as its 32 bytes (about 48 bytes
/// an entry with the set's own overhead, against about 210 for the digest's text), other algorithms as text.
/// </summary>
internal sealed class DigestSet
{
    private readonly HashSet<(ulong, ulong, ulong, ulong)> sha256 = [];
    private readonly HashSet<string> others = new(StringComparer.Ordinal);

    public int Count => sha256.Count + others.Count;

    public bool Add(Digest digest) => Key(digest) is { } key ? sha256.Add(key) : others.Add(digest.Value);

    public bool Contains(Digest digest) => Key(digest) is { } key ? sha256.Contains(key) : others.Contains(digest.Value);

    private static (ulong, ulong, ulong, ulong)? Key(Digest digest)
    {
        if (digest.Algorithm != Digest.Sha256)
        {
            return null;
        }
        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(digest.Hex, bytes, out _, out _);
        return (BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }
}
