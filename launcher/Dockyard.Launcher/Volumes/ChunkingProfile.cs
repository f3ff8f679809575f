namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The bounds of FastCDC's cuts, named in the index (<see cref="VolumeIndex.Chunker"/>) so that a volume keeps cutting
/// its files as its first version did: the same bytes then give the same chunks, whatever the launcher's default.
/// A cut needs <see cref="HardBits"/> zero bits of the gear hash before <see cref="Average"/> bytes and
/// <see cref="EasyBits"/> after it (normalised chunking: sizes gather around the average).
/// </summary>
/// <param name="Name">As stored in the index; null for <see cref="Legacy"/>, which indexes made before packs name by saying nothing.</param>
internal sealed record ChunkingProfile(string? Name, int Min, int Average, int Max, int HardBits, int EasyBits)
{
    /// <summary>256 KiB to 4 MiB, about 1 MiB: every volume stored before packs, and those volumes' later versions.</summary>
    public static readonly ChunkingProfile Legacy = new(null, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024, 22, 18);

    /// <summary>
    /// 64 KiB to 1 MiB, about 256 KiB: a new volume's. Small chunks make an edit cost little beyond its own bytes (it
    /// re-uploads the chunks it touches); packs (<see cref="PackWriter"/>) keep their number of requests low.
    /// </summary>
    public static readonly ChunkingProfile Small = new("fastcdc-64k-256k-1m", 64 * 1024, 256 * 1024, 1024 * 1024, 20, 16);

    /// <summary>
    /// The profile of a version stored on <paramref name="basis"/> (chunks stored the same way): the one it names
    /// (<see cref="Legacy"/> when it names none, <see cref="Small"/> otherwise); <see cref="Small"/> for a new volume, or
    /// when no chunk can be kept anyway (null).
    /// </summary>
    public static ChunkingProfile For(VolumeIndex? basis) => basis is { Chunker: null } ? Legacy : Small;

    public ulong HardMask => ~0UL << (64 - HardBits);

    public ulong EasyMask => ~0UL << (64 - EasyBits);
}
