using System.Security.Cryptography;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Local.FileSystem;

namespace Dockyard.Local.Tests.FileSystem;

public sealed class OverlappedFileCopyTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "dockyard-copy-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 1)]
    [InlineData((3 << 20) + 12345)]
    public async Task Copies_every_byte_in_order_whatever_size_the_reads_come_in(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        long copied;
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            copied = await OverlappedFileCopy.CopyAsync(new TricklingStream(data), file, 0, CancellationToken.None);
        }
        Assert.Equal(size, copied);
        Assert.Equal(data, await File.ReadAllBytesAsync(path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData((1 << 20) - 1)]
    [InlineData((9 << 20) + 4321)]
    public async Task An_upload_is_hashed_beside_its_writes_in_order_and_completely(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        using var hash = UploadHashCache.NewHash();
        var hashing = new HashingReadStream(new TricklingStream(data), hash);
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            Assert.Equal(size, await OverlappedFileCopy.CopyAsync(hashing, file, 0, CancellationToken.None));
        }
        Assert.Equal(size, hashing.BytesRead);
        Assert.Equal(Digest.Compute(data), Digest.FromHash(Digest.Sha256, hash.GetCurrentHash()));
        Assert.Equal(data, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Copies_after_the_given_offset_so_parts_can_be_concatenated()
    {
        var first = RandomNumberGenerator.GetBytes((1 << 20) + 7);
        var second = RandomNumberGenerator.GetBytes((2 << 20) + 3);
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            var written = await OverlappedFileCopy.CopyAsync(new MemoryStream(first), file, 0, CancellationToken.None);
            written += await OverlappedFileCopy.CopyAsync(new TricklingStream(second), file, written, CancellationToken.None);
            Assert.Equal(first.Length + second.Length, written);
        }
        var stored = await File.ReadAllBytesAsync(path);
        Assert.Equal(first.Concat(second).ToArray(), stored);
    }

    [Fact]
    public async Task Whole_chunks_may_be_written_directly_but_the_file_is_left_for_any_write()
    {
        // Two whole 1 MiB chunks: written with O_DIRECT where the file system allows it. An unaligned write after the
        // copy fails (EINVAL) if the file were left in that mode.
        var data = RandomNumberGenerator.GetBytes(2 << 20);
        byte[] tail = [1, 2, 3];
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            Assert.Equal(data.Length, await OverlappedFileCopy.CopyAsync(new MemoryStream(data), file, 0, CancellationToken.None));
            RandomAccess.Write(file, tail, data.Length);
        }
        Assert.Equal(data.Concat(tail).ToArray(), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_failing_source_fails_the_copy()
    {
        var data = RandomNumberGenerator.GetBytes(3 << 20);
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        var source = new TricklingStream(data, failAfter: (2 << 20) + 5);
        await Assert.ThrowsAsync<IOException>(() => OverlappedFileCopy.CopyAsync(source, file, 0, CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_write_fails_the_copy_and_hands_no_buffer_out_twice()
    {
        File.WriteAllBytes(path, []);
        using (var readOnly = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
        {
            var data = RandomNumberGenerator.GetBytes((OverlappedFileCopy.Depth + 2) << 20);
            await Assert.ThrowsAnyAsync<Exception>(() => OverlappedFileCopy.CopyAsync(new TricklingStream(data), readOnly, 0, CancellationToken.None));
        }
        // A buffer handed back twice would be filled by both of two copies at once.
        var first = RandomNumberGenerator.GetBytes(6 << 20);
        var second = RandomNumberGenerator.GetBytes(6 << 20);
        var other = path + ".2";
        try
        {
            using (var a = File.OpenHandle(path, FileMode.Truncate, FileAccess.Write))
            using (var b = File.OpenHandle(other, FileMode.CreateNew, FileAccess.Write))
            {
                await Task.WhenAll(
                    OverlappedFileCopy.CopyAsync(new TricklingStream(first), a, 0, CancellationToken.None),
                    OverlappedFileCopy.CopyAsync(new TricklingStream(second), b, 0, CancellationToken.None));
            }
            Assert.Equal(first, await File.ReadAllBytesAsync(path));
            Assert.Equal(second, await File.ReadAllBytesAsync(other));
        }
        finally
        {
            File.Delete(other);
        }
    }

    /// <summary>Hands out odd-sized pieces, as a network body does; optionally fails part-way.</summary>
    private sealed class TricklingStream(byte[] data, long failAfter = long.MaxValue) : Stream
    {
        private int position;
        private int turn;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (position >= failAfter)
            {
                throw new IOException("connection reset");
            }
            var n = Math.Min(Math.Min(buffer.Length, data.Length - position), 1 + (turn++ * 7919 % 70000));
            data.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
