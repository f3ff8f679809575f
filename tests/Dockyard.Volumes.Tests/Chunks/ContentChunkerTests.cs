using Dockyard.Launcher.Volumes;

namespace Dockyard.Volumes.Tests.Chunks;

/// <summary>The content-defined chunker: bounded sizes, cuts that depend on content only, and edits that move few chunks.</summary>
public sealed class ContentChunkerTests
{
    public static TheoryData<string> Profiles => ["legacy", "small"];

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Chunks_are_within_bounds_and_concatenate_to_the_input(string name)
    {
        var profile = Profile(name);
        var data = RandomBytes(24 << 20, seed: 1);
        var chunks = await ChunkAsync(data, profile);
        Assert.Equal(data, chunks.SelectMany(c => c).ToArray());
        Assert.All(chunks[..^1], c => Assert.InRange(c.Length, profile.Min, profile.Max));
        Assert.InRange(data.Length / chunks.Count, profile.Average / 2, profile.Average * 2);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Zeros_are_cut_at_the_maximum_and_short_input_is_one_chunk(string name)
    {
        var profile = Profile(name);
        var zeros = await ChunkAsync(new byte[(profile.Max * 2) + 5], profile);
        Assert.Equal([profile.Max, profile.Max, 5], zeros.Select(c => c.Length));
        Assert.Single(await ChunkAsync(new byte[1000], profile));
        Assert.Empty(await ChunkAsync([], profile));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task An_insertion_changes_only_the_chunks_around_it(string name)
    {
        var profile = Profile(name);
        var data = RandomBytes(32 << 20, seed: 2);
        var edited = data[..(15 << 20)].Concat(RandomBytes(100, seed: 3)).Concat(data[(15 << 20)..]).ToArray();
        var before = (await ChunkAsync(data, profile)).Select(Key).ToHashSet();
        var after = (await ChunkAsync(edited, profile)).Select(Key).ToList();
        var changed = after.Count(k => !before.Contains(k));
        Assert.InRange(changed, 1, 2);
    }

    [Fact]
    public async Task The_legacy_profile_cuts_where_volumes_stored_before_packs_were_cut()
    {
        // Cut points of the first chunks of seed 1's bytes as the launcher cut them before profiles existed (4 MiB
        // buffer, one chunk per call): a volume stored then keeps sharing its chunks with the versions made now.
        var chunks = await ChunkAsync(RandomBytes(24 << 20, seed: 1), ChunkingProfile.Legacy);
        Assert.Equal(LegacyCuts, chunks.Take(LegacyCuts.Length).Select(c => c.Length));
    }

    [Fact]
    public async Task Eight_scattered_edits_cost_less_than_their_own_bytes_again_in_small_chunks_around_them()
    {
        // bench/volumes.sh's change: 1 % of 1 GiB in 8 places, 1.28 MiB each. The goal (issue 17) is at most 2 % of the
        // volume uploaded, so the chunks around the edits may add at most the edits' own bytes again.
        var data = RandomBytes(96 << 20, seed: 4);
        var edited = data.ToArray();
        var each = (1 << 30) / 100 / 8;
        for (var i = 0; i < 8; i++)
        {
            RandomBytes(each, seed: 10 + i).CopyTo(edited, (i * 12 << 20) + (i * 77_777));
        }
        var before = (await ChunkAsync(data, ChunkingProfile.Small)).Select(Key).ToHashSet();
        var fresh = (await ChunkAsync(edited, ChunkingProfile.Small)).Where(c => !before.Contains(Key(c))).Sum(c => (long)c.Length);
        Assert.InRange(fresh, 8L * each, 2 * 8L * each);
    }

    private static readonly int[] LegacyCuts = [880420, 1062841, 1506906, 1220628, 1541165, 444247, 1157005, 1343052];

    private static ChunkingProfile Profile(string name) => name == "legacy" ? ChunkingProfile.Legacy : ChunkingProfile.Small;

    private static string Key(byte[] chunk) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(chunk));

    private static async Task<List<byte[]>> ChunkAsync(byte[] data, ChunkingProfile profile)
    {
        // A stream that returns short reads, as pipes and sockets do: cut points must not depend on read sizes.
        var chunker = new ContentChunker(new TrickleStream(data), profile);
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
