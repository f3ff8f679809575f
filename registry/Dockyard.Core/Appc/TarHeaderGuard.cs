using System.Buffers.Text;

namespace Dockyard.Core.Appc;

/// <summary>
/// Hands a tar stream on unchanged while reading its headers as they pass, and refuses a PAX extended header
/// (<c>x</c>, <c>g</c>) or GNU long name or link (<c>L</c>, <c>K</c>) whose data is over <see cref="MaxMetadataBytes"/>
/// with <see cref="InvalidDataException"/> (a corrupt archive: the client's fault) in the read that delivers the
/// header's last byte. .NET's <c>TarReader</c> reads such data whole into one array and a string before returning the
/// entry (up to 2 GiB, from a few megabytes of gzip); this stops it before it allocates. Entry sizes come from the
/// header or from the <c>size</c> record of the PAX header before it, as the reader takes them; the guard stops
/// looking at the first end-of-archive block, where the reader stops.
/// </summary>
internal sealed class TarHeaderGuard(Stream inner) : Stream
{
    /// <summary>The most a metadata entry may hold (what newer .NET versions allow themselves).</summary>
    public const int MaxMetadataBytes = 1 << 20;

    private const int Block = 512;
    private readonly byte[] header = new byte[Block];
    private int headerFill;
    private long skip;
    private long paxLeft;
    private MemoryStream? pax;
    private long? nextSize;
    private bool ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Inspect(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0 && !ended)
        {
            if (skip > 0)
            {
                var n = (int)Math.Min(skip, bytes.Length);
                if (pax is not null)
                {
                    var data = (int)Math.Min(paxLeft, n);
                    pax.Write(bytes[..data]);
                    paxLeft -= data;
                }
                skip -= n;
                bytes = bytes[n..];
                if (skip == 0 && pax is not null)
                {
                    nextSize = SizeRecord(pax.GetBuffer().AsSpan(0, (int)pax.Length));
                    pax = null;
                }
                continue;
            }
            var take = Math.Min(Block - headerFill, bytes.Length);
            bytes[..take].CopyTo(header.AsSpan(headerFill));
            headerFill += take;
            bytes = bytes[take..];
            if (headerFill == Block)
            {
                headerFill = 0;
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        var checksum = header.AsSpan(148, 8);
        if (!checksum.ContainsAnyExcept((byte)0) || Octal(checksum) == 0)
        {
            ended = true;
            return;
        }
        var type = (char)header[156];
        var metadata = type is 'x' or 'g' or 'L' or 'K';
        var size = metadata ? Numeric(header.AsSpan(124, 12)) : nextSize ?? Numeric(header.AsSpan(124, 12));
        if (metadata && size > MaxMetadataBytes)
        {
            throw new InvalidDataException($"a tar metadata entry ('{type}') of {size} bytes, over {MaxMetadataBytes}");
        }
        if (!metadata)
        {
            nextSize = null;
        }
        skip = (size + Block - 1) / Block * Block;
        if (type == 'x' && size > 0)
        {
            pax = new MemoryStream((int)size);
            paxLeft = size;
        }
    }

    // The value of the last "size" record ("<length> size=<decimal>\n") of a PAX header; null when it has none.
    private static long? SizeRecord(ReadOnlySpan<byte> records)
    {
        long? size = null;
        while (records.Length > 0)
        {
            var space = records.IndexOf((byte)' ');
            if (space <= 0 || !Utf8Parser.TryParse(records[..space], out int length, out var used) || used != space || length <= space || length > records.Length)
            {
                return size;
            }
            var record = records[(space + 1)..(length - 1)];
            if (record.StartsWith("size="u8) && Utf8Parser.TryParse(record[5..], out long value, out var digits) && digits == record.Length - 5)
            {
                size = value;
            }
            records = records[length..];
        }
        return size;
    }

    // A numeric header field: octal text, or base-256 when the first byte's high bit is set (as the reader takes them).
    private static long Numeric(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) == 0)
        {
            return Octal(field);
        }
        long value = field[0] & 0x7f;
        foreach (var b in field[1..])
        {
            if (value > long.MaxValue >> 8)
            {
                throw new InvalidDataException("a tar size field out of range");
            }
            value = (value << 8) | b;
        }
        return value;
    }

    private static long Octal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        foreach (var b in field.Trim(" \0"u8))
        {
            if (b is < (byte)'0' or > (byte)'7' || value > long.MaxValue >> 3)
            {
                throw new InvalidDataException("a tar header with a malformed number");
            }
            value = (value << 3) | (long)(b - '0');
        }
        return value;
    }
}
