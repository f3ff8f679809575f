using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// The integer key of a tag's row in the SQLite file's <c>tag_content</c> table: the first 8 bytes of the SHA-256 of
/// <c>repository:tag</c> (a repository name holds no colon), little-endian. Stable across versions, as it is stored.
/// Two tags with the same key are told apart by the repository and tag the row holds (see TagContent).
/// </summary>
public static class SqliteTagKey
{
    /// <summary>The key of <paramref name="tag"/> in <paramref name="repository"/>; any 64-bit value, 0 and negatives included.</summary>
    public static long Of(string repository, string tag)
    {
        var length = Encoding.UTF8.GetByteCount(repository) + 1 + Encoding.UTF8.GetByteCount(tag);
        Span<byte> text = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(repository, text);
        text[written] = (byte)':';
        Encoding.UTF8.GetBytes(tag, text[(written + 1)..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text, hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }
}
