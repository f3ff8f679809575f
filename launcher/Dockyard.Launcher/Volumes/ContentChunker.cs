namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Content-defined chunking (FastCDC: a gear rolling hash with normalised chunking) of one stream: cut points depend
/// on the bytes around them, so an edit moves only the chunks it touches and the rest keep their digests. Chunks are
/// <see cref="MinSize"/> to <see cref="MaxSize"/> bytes, about <see cref="AverageSize"/> on average; memory is one
/// buffer of <see cref="MaxSize"/>, whatever the stream's length.
/// </summary>
internal sealed class ContentChunker(Stream input)
{
    public const int MinSize = 256 * 1024;
    public const int AverageSize = 1024 * 1024;
    public const int MaxSize = 4 * 1024 * 1024;

    // The hash's top bits depend on the last 64 bytes. Before the average size a cut needs 22 zero bits (rarer), after
    // it 18 (likelier): normalised chunking, which narrows the spread of sizes around the average (2^20).
    private const ulong HardMask = ~0UL << (64 - 22);
    private const ulong EasyMask = ~0UL << (64 - 18);
    private static readonly ulong[] Gear = CreateGear();

    private readonly byte[] buffer = new byte[MaxSize];
    private int filled;
    private int consumed;
    private bool ended;

    /// <summary>The next chunk, valid until the next call; empty at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        if (consumed > 0)
        {
            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            consumed = 0;
        }
        while (!ended && filled < buffer.Length)
        {
            var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            ended = read == 0;
            filled += read;
        }
        consumed = Cut(buffer.AsSpan(0, filled));
        return buffer.AsMemory(0, consumed);
    }

    /// <summary>The length of the chunk at the start of <paramref name="data"/> (all of it when it is shorter than the minimum).</summary>
    public static int Cut(ReadOnlySpan<byte> data)
    {
        if (data.Length <= MinSize)
        {
            return data.Length;
        }
        var normal = Math.Min(AverageSize, data.Length);
        ulong hash = 0;
        var i = MinSize;
        for (; i < normal; i++)
        {
            hash = (hash << 1) + Gear[data[i]];
            if ((hash & HardMask) == 0)
            {
                return i + 1;
            }
        }
        for (; i < data.Length; i++)
        {
            hash = (hash << 1) + Gear[data[i]];
            if ((hash & EasyMask) == 0)
            {
                return i + 1;
            }
        }
        return data.Length;
    }

    // Fixed forever: changing the table would move every cut point and stop new versions sharing chunks with old ones.
    // SplitMix64 from a constant seed, spelled out so that no library's generator can change under it.
    private static ulong[] CreateGear()
    {
        var table = new ulong[256];
        var state = 0x646F636B79617264UL; // "dockyard"
        for (var i = 0; i < table.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            table[i] = z ^ (z >> 31);
        }
        return table;
    }
}
