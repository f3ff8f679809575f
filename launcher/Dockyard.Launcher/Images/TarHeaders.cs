using System.Text;

namespace Dockyard.Launcher.Images;

/// <summary>
/// Minimal ustar headers for a streamed archive whose entry sizes are known up front (so that a layer need not be
/// buffered, as System.Formats.Tar would for an unseekable source); mtime 0, owner root.
/// </summary>
internal static class TarHeaders
{
    public const int BlockSize = 512;

    public static byte[] File(string name, long size) => Header(name, size, '0', 0b110_100_100);

    public static byte[] Directory(string name) => Header(name.TrimEnd('/') + "/", 0, '5', 0b111_101_101);

    /// <summary>Zeros that fill the last block of an entry of <paramref name="size"/> bytes.</summary>
    public static int Padding(long size) => (int)((BlockSize - size % BlockSize) % BlockSize);

    /// <summary>The two zero blocks that end an archive.</summary>
    public static byte[] End() => new byte[2 * BlockSize];

    private static byte[] Header(string name, long size, char type, int mode)
    {
        var header = new byte[BlockSize];
        if (Encoding.ASCII.GetByteCount(name) > 100)
        {
            throw new ArgumentException($"tar entry name '{name}' is longer than 100 bytes", nameof(name));
        }
        Encoding.ASCII.GetBytes(name, header.AsSpan(0, 100));
        Octal(header, 100, 8, mode);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, 0);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00", header.AsSpan(257, 8));
        Encoding.ASCII.GetBytes("root", header.AsSpan(265));
        Encoding.ASCII.GetBytes("root", header.AsSpan(297));
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => (long)b);
        Octal(header, 148, 7, sum);
        return header;
    }

    private static void Octal(byte[] header, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        if (text.Length > length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit a {length}-byte tar field");
        }
        Encoding.ASCII.GetBytes(text, header.AsSpan(offset, length - 1));
        header[offset + length - 1] = 0;
    }
}
