using Dockyard.Core.Names;

namespace Dockyard.Core.P2P;

/// <summary>
/// A blob cut into fixed-size pieces (the last one shorter) with the SHA-256 of each, computed by the registry from
/// the stored blob: the authenticated metadata agents check every piece against, whoever served it.
/// </summary>
/// <param name="Hashes">The lowercase hex SHA-256 of each piece, in order; empty for an empty blob.</param>
public sealed record BlobPieces(Digest Blob, long Size, int PieceSize, IReadOnlyList<string> Hashes)
{
    /// <summary>The default piece size: 4 MiB, Kraken's order of magnitude (few pieces per layer, cheap to re-fetch one).</summary>
    public const int DefaultPieceSize = 4 << 20;

    public int Count => Hashes.Count;

    public long OffsetOf(int index) => (long)index * PieceSize;

    public int LengthOf(int index) => (int)Math.Min(PieceSize, Size - OffsetOf(index));

    /// <summary>The number of pieces a blob of <paramref name="size"/> bytes has.</summary>
    public static int CountFor(long size, int pieceSize) => (int)((size + pieceSize - 1) / pieceSize);

    /// <summary>The hashes as one string (64 hex characters each), the form stores keep.</summary>
    public string PackedHashes => string.Concat(Hashes);

    /// <summary>Reads <see cref="PackedHashes"/> back; throws <see cref="FormatException"/> when the count does not fit the size.</summary>
    public static BlobPieces Unpack(Digest blob, long size, int pieceSize, string packed)
    {
        var count = CountFor(size, pieceSize);
        if (packed.Length != count * 64)
        {
            throw new FormatException($"{blob}: {packed.Length / 64} piece hashes stored for {count} pieces");
        }
        return new BlobPieces(blob, size, pieceSize, Enumerable.Range(0, count).Select(i => packed.Substring(i * 64, 64)).ToList());
    }
}
