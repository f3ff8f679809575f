using System.IO.Compression;
using Dockyard.Core.Errors;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;

namespace Dockyard.Core.Appc;

/// <summary>
/// Opens a tar that may be gzip, bzip2 or xz compressed (told by its magic bytes), streaming; zstd is refused. The tar
/// comes through <see cref="TarHeaderGuard"/>, so no header makes the reader allocate more than a megabyte.
/// </summary>
internal static class Decompression
{
    public static async Task<Stream> OpenAsync(Stream raw, CancellationToken cancellationToken)
    {
        var head = new byte[6];
        var read = 0;
        int n;
        while (read < head.Length && (n = await raw.ReadAsync(head.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        var prefixed = new PrefixedReadStream(head[..read], raw);
        var h = head.AsSpan(0, read);
        return new TarHeaderGuard(h switch
        {
            [0x1f, 0x8b, ..] => new GZipStream(prefixed, CompressionMode.Decompress),
            [(byte)'B', (byte)'Z', (byte)'h', ..] => BZip2Stream.Create(prefixed, SharpCompress.Compressors.CompressionMode.Decompress, true, false, false),
            [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00] => new XZStream(prefixed),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => throw new RegistryException(RegistryErrorCode.Unsupported, "zstd-compressed layers cannot be converted"),
            _ => prefixed,
        });
    }

    /// <summary>True for the failures a corrupt compressed or tar stream raises (client faults, not server faults).</summary>
    public static bool IsCorruptData(Exception e) =>
        e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException
            or NotSupportedException // the reader's answer to an old GNU sparse entry ('S')
        || e.GetType().Namespace?.StartsWith("SharpCompress", StringComparison.Ordinal) == true;
}
