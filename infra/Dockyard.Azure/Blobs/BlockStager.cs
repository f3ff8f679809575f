using System.Buffers;
using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace Dockyard.Azure.Blobs;

/// <summary>
/// Writes a stream as the uncommitted blocks of a block blob, one buffer at a time, so memory stays at one block
/// whatever the stream's length. Block ids share one length within a blob, as the service requires.
/// </summary>
internal static class BlockStager
{
    /// <summary>The id of block <paramref name="index"/>, tagged with <paramref name="tag"/> (fixed length, base64).</summary>
    public static string BlockId(string tag, int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"{tag}-{index:D6}"));

    /// <summary>Stages the stream, read to its end, and returns the block ids in order with the byte count.</summary>
    public static async Task<(List<string> Blocks, long Bytes)> StageAsync(BlockBlobClient blob, Stream data, int blockSize, string tag,
        CancellationToken cancellationToken)
    {
        var blocks = new List<string>();
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            while (true)
            {
                var filled = 0;
                int n;
                while (filled < blockSize && (n = await data.ReadAsync(buffer.AsMemory(filled, blockSize - filled), cancellationToken)) > 0)
                {
                    filled += n;
                }
                if (filled == 0)
                {
                    return (blocks, total);
                }
                var id = BlockId(tag, blocks.Count);
                // A seekable body lets the SDK retry the block after a transient fault.
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                await blob.StageBlockAsync(id, body, cancellationToken: cancellationToken);
                blocks.Add(id);
                total += filled;
                if (filled < blockSize)
                {
                    return (blocks, total);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
