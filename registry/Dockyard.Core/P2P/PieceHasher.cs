using System.Buffers;
using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Core.P2P;

/// <summary>
/// Cuts a stream into pieces and hashes each with SHA-256 in one pass, checking the whole against the blob's digest
/// on the way, so piece hashes are only ever published for bytes that are the blob.
/// </summary>
public static class PieceHasher
{
    /// <exception cref="InvalidDataException">The stream is shorter or longer than <paramref name="size"/> or does not hash to <paramref name="blob"/>.</exception>
    public static async Task<BlobPieces> ComputeAsync(Stream content, Digest blob, long size, int pieceSize, CancellationToken cancellationToken)
    {
        using var whole = Digest.CreateHash(blob.Algorithm);
        using var piece = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashes = new List<string>(BlobPieces.CountFor(size, pieceSize));
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            var inPiece = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, pieceSize - inPiece)), cancellationToken)) > 0)
            {
                whole.AppendData(buffer, 0, read);
                piece.AppendData(buffer, 0, read);
                total += read;
                inPiece += read;
                if (total > size)
                {
                    break;
                }
                if (inPiece == pieceSize)
                {
                    hashes.Add(Convert.ToHexStringLower(piece.GetHashAndReset()));
                    inPiece = 0;
                }
            }
            if (inPiece > 0)
            {
                hashes.Add(Convert.ToHexStringLower(piece.GetHashAndReset()));
            }
            if (total != size || Digest.FromHash(blob.Algorithm, whole.GetHashAndReset()) != blob)
            {
                throw new InvalidDataException($"stored blob {blob} does not match its digest or its size {size}");
            }
            return new BlobPieces(blob, size, pieceSize, hashes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>True when <paramref name="bytes"/> is piece <paramref name="index"/> of <paramref name="pieces"/> (length and hash).</summary>
    public static bool Matches(BlobPieces pieces, int index, ReadOnlySpan<byte> bytes) =>
        index >= 0 && index < pieces.Count && bytes.Length == pieces.LengthOf(index)
        && Convert.ToHexStringLower(SHA256.HashData(bytes)) == pieces.Hashes[index];
}
