using Dockyard.Server.Transport;

namespace Dockyard.Server.Tests.Transport;

public sealed class LargeBlockMemoryPoolTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(LargeBlockMemoryPool.BlockSize)]
    public void Every_rent_is_a_whole_block(int size)
    {
        using var pool = new LargeBlockMemoryPool();
        using var block = pool.Rent(size);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, block.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void More_than_a_block_is_refused()
    {
        using var pool = new LargeBlockMemoryPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void A_returned_block_is_handed_out_again()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        first.Dispose();
        using var second = pool.Rent();
        Assert.Same(first, second);
    }

    [Fact]
    public void Blocks_in_use_are_distinct()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, 8).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Memory.Span.Fill(2));
        blocks[0].Memory.Span.Fill(1);
        Assert.All(blocks.Skip(1), b => Assert.True(b.Memory.Span.IndexOfAnyExcept((byte)2) < 0));
        blocks.ForEach(b => b.Dispose());
    }

    [Fact]
    public void Retention_is_capped_so_a_burst_does_not_pin_memory_forever()
    {
        using var pool = new LargeBlockMemoryPool();
        var burst = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetained + 50).Select(_ => pool.Rent()).ToList();
        burst.ForEach(b => b.Dispose());

        var again = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetained + 50).Select(_ => pool.Rent()).ToList();
        Assert.Equal(LargeBlockMemoryPool.MaxRetained, again.Count(burst.Contains));
        again.ForEach(b => b.Dispose());
    }
}
