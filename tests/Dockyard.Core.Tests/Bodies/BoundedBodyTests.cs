using Dockyard.Core.Bodies;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Tests.Bodies;

/// <summary>In-memory bodies are read whole up to their limit and refused one byte beyond it, however long the sender goes on.</summary>
public sealed class BoundedBodyTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read_whole()
    {
        var body = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        Assert.Equal(body, (await BoundedBody.ReadAsync(new MemoryStream(body), null, 1000, "the body", Ct)).ToArray());
        Assert.Equal(0, (await BoundedBody.ReadAsync(new MemoryStream(), null, 1000, "the body", Ct)).Length);
    }

    [Fact]
    public async Task An_endless_body_is_refused_after_reading_one_byte_beyond_the_limit()
    {
        var endless = new EndlessStream();
        Assert.Null(await BoundedBody.TryReadAsync(endless, null, 100_000, Ct));
        Assert.Equal(100_001, endless.Taken);

        var error = await Assert.ThrowsAsync<RegistryException>(() => BoundedBody.ReadAsync(new EndlessStream(), null, 64, "a UAM body", Ct));
        Assert.Equal(RegistryErrorCode.BodyTooLarge, error.Code);
        Assert.Contains("a UAM body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_without_reading()
    {
        var endless = new EndlessStream();
        Assert.Null(await BoundedBody.TryReadAsync(endless, 101, 100, Ct));
        Assert.Equal(0, endless.Taken);
    }

    /// <summary>A sender that never stops, counting what was taken from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Taken { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Taken; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'a', offset, count);
            Taken += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
