namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The packs a new version's index lists (<see cref="VolumeIndex.Packs"/>), numbered in the order its chunks first name
/// them: packs of earlier versions whose chunks it keeps (<see cref="Adopt"/>), and the packs its snapshot writes
/// (numbered by <see cref="Reserve"/> when their first chunk is placed, named by <see cref="Name"/> once uploaded).
/// A pack no chunk of the version names is not listed, so it is not a layer and garbage collection can free it once
/// no other version names it. Safe across threads: uploads name their packs while the snapshot goes on.
/// </summary>
internal sealed class PackTable
{
    private readonly Lock gate = new();
    private readonly List<PackRef?> packs = [];
    private readonly Dictionary<string, int> numbers = new(StringComparer.Ordinal);

    /// <summary><paramref name="chunk"/> of the version indexed by <paramref name="from"/>, as this version lists it.</summary>
    /// <exception cref="LaunchException">The chunk names a pack <paramref name="from"/> does not list.</exception>
    public ChunkRef Adopt(VolumeIndex from, ChunkRef chunk)
    {
        if (chunk.Pack is not { } old)
        {
            return chunk;
        }
        var pack = from.Packs is { } list && old >= 0 && old < list.Count ? list[old]
            : throw new LaunchException(LaunchFailure.Registry, $"the volume index names pack {old}, which it does not list");
        lock (gate)
        {
            if (!numbers.TryGetValue(pack.Digest, out var number))
            {
                number = packs.Count;
                packs.Add(pack);
                numbers[pack.Digest] = number;
            }
            return chunk with { Pack = number };
        }
    }

    /// <summary>The number of a pack being written, whose digest is not known yet.</summary>
    public int Reserve()
    {
        lock (gate)
        {
            packs.Add(null);
            return packs.Count - 1;
        }
    }

    /// <summary>Names the pack <see cref="Reserve"/> numbered, once it is uploaded.</summary>
    public void Name(int number, PackRef pack)
    {
        lock (gate)
        {
            packs[number] = pack;
            numbers.TryAdd(pack.Digest, number);
        }
    }

    /// <summary>The list for the index, once every reserved pack is named; null when no chunk lies in a pack.</summary>
    public IReadOnlyList<PackRef>? ToList()
    {
        lock (gate)
        {
            return packs.Count == 0 ? null
                : packs.Select((p, i) => p ?? throw new InvalidOperationException($"pack {i} was never uploaded")).ToList();
        }
    }
}
