using Dockyard.Core.Blobs;

namespace Dockyard.Core.Tests.Blobs;

public sealed class ConcatenatedReadStreamTests
{
    private static readonly byte[][] Pieces = [[1, 2, 3], [], [4], [5, 6, 7, 8, 9], []];

    [Fact]
    public async Task Reads_the_streams_in_order_opening_each_only_when_needed()
    {
        var opened = new List<int>();
        await using var stream = new ConcatenatedReadStream(Pieces.Length, (i, _) =>
        {
            opened.Add(i);
            return ValueTask.FromResult<Stream>(new MemoryStream(Pieces[i]));
        });

        var buffer = new byte[2];
        Assert.Equal(2, await stream.ReadAsync(buffer));
        Assert.Equal([0], opened);
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);

        Assert.Equal([3, 4, 5, 6, 7, 8, 9], rest.ToArray());
        Assert.Equal([0, 1, 2, 3, 4], opened);
        Assert.Equal(9, stream.Position);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public void Synchronous_reads_see_the_same_bytes()
    {
        using var stream = new ConcatenatedReadStream(Pieces.Length, (i, _) => ValueTask.FromResult<Stream>(new MemoryStream(Pieces[i])));
        using var copy = new MemoryStream();

        stream.CopyTo(copy);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], copy.ToArray());
    }

    [Fact]
    public async Task No_streams_read_as_empty_and_an_open_stream_is_disposed_with_it()
    {
        await using (var empty = new ConcatenatedReadStream(0, (_, _) => throw new InvalidOperationException("never opened")))
        {
            Assert.Equal(0, await empty.ReadAsync(new byte[4]));
        }

        var inner = new MemoryStream([1, 2, 3]);
        var stream = new ConcatenatedReadStream(1, (_, _) => ValueTask.FromResult<Stream>(inner));
        Assert.Equal(1, await stream.ReadAsync(new byte[1]));
        await stream.DisposeAsync();

        Assert.False(inner.CanRead);
    }
}
