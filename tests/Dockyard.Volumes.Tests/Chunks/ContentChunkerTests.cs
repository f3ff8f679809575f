using Dockyard.Launcher.Volumes;

namespace Dockyard.Volumes.Tests.Chunks;

/// <summary>The content-defined chunker: bounded sizes, cuts that depend on content only, and edits that move few chunks.</summary>
public sealed class ContentChunkerTests
{
    [Fact]
    public async Task Chunks_are_within_bounds_and_concatenate_to_the_input()
    {
        var data = RandomBytes(24 << 20, seed: 1);
        var chunks = await ChunkAsync(data);
        Assert.Equal(data, chunks.SelectMany(c => c).ToArray());
        Assert.All(chunks[..^1], c => Assert.InRange(c.Length, ContentChunker.MinSize, ContentChunker.MaxSize));
        Assert.InRange(data.Length / chunks.Count, ContentChunker.AverageSize / 2, ContentChunker.AverageSize * 2);
    }

    [Fact]
    public async Task Zeros_are_cut_at_the_maximum_and_short_input_is_one_chunk()
    {
        var zeros = await ChunkAsync(new byte[(ContentChunker.MaxSize * 2) + 5]);
        Assert.Equal([ContentChunker.MaxSize, ContentChunker.MaxSize, 5], zeros.Select(c => c.Length));
        Assert.Single(await ChunkAsync(new byte[1000]));
        Assert.Empty(await ChunkAsync([]));
    }

    [Fact]
    public async Task An_insertion_changes_only_the_chunks_around_it()
    {
        var data = RandomBytes(32 << 20, seed: 2);
        var edited = data[..(15 << 20)].Concat(RandomBytes(100, seed: 3)).Concat(data[(15 << 20)..]).ToArray();
        var before = (await ChunkAsync(data)).Select(Key).ToHashSet();
        var after = (await ChunkAsync(edited)).Select(Key).ToList();
        var changed = after.Count(k => !before.Contains(k));
        Assert.InRange(changed, 1, 2);
    }

    private static string Key(byte[] chunk) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(chunk));

    private static async Task<List<byte[]>> ChunkAsync(byte[] data)
    {
        // A stream that returns short reads, as pipes and sockets do: cut points must not depend on read sizes.
        var chunker = new ContentChunker(new TrickleStream(data));
        var chunks = new List<byte[]>();
        while (await chunker.NextAsync(CancellationToken.None) is { Length: > 0 } chunk)
        {
            chunks.Add(chunk.ToArray());
        }
        return chunks;
    }

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 100_003)], cancellationToken);
    }
}
