namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Content-defined chunking (FastCDC: a gear rolling hash with normalised chunking) of one stream: cut points depend
/// on the bytes around them, so an edit moves only the chunks it touches and the rest keep their digests. Chunks are
/// between the <see cref="ChunkingProfile"/>'s minimum and maximum; memory is one buffer of four maximum chunks (at
/// least 4 MiB), whatever the stream's length. The buffer is moved down only when less than one maximum chunk is left
/// in it, so most chunks cost no copy.
/// </summary>
internal sealed class ContentChunker(Stream input, ChunkingProfile profile)
{
    private static readonly ulong[] Gear = CreateGear();

    private readonly byte[] buffer = new byte[Math.Max(4 * profile.Max, 4 << 20)];
    private int filled;
    private int consumed;
    private bool ended;

    /// <summary>The next chunk, valid until the next call; empty at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        if (!ended && filled - consumed < profile.Max)
        {
            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            consumed = 0;
            while (!ended && filled < buffer.Length)
            {
                var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                ended = read == 0;
                filled += read;
            }
        }
        var start = consumed;
        consumed += Cut(buffer.AsSpan(start, Math.Min(filled - start, profile.Max)), profile);
        return buffer.AsMemory(start, consumed - start);
    }

    /// <summary>The length of the chunk at the start of <paramref name="data"/> (all of it when it is shorter than the minimum).</summary>
    /// <param name="data">At most the profile's maximum, or the rest of the stream.</param>
    public static int Cut(ReadOnlySpan<byte> data, ChunkingProfile profile)
    {
        if (data.Length <= profile.Min)
        {
            return data.Length;
        }
        var gear = Gear.AsSpan();
        var (hard, easy) = (profile.HardMask, profile.EasyMask);
        var normal = Math.Min(profile.Average, data.Length);
        ulong hash = 0;
        var i = profile.Min;
        for (; i < normal; i++)
        {
            hash = (hash << 1) + gear[data[i]];
            if ((hash & hard) == 0)
            {
                return i + 1;
            }
        }
        for (; i < data.Length; i++)
        {
            hash = (hash << 1) + gear[data[i]];
            if ((hash & easy) == 0)
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
