using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A volume version's file index, stored as the manifest's config blob (<c>application/vnd.dockyard.volume.index.v1+json</c>):
/// every entry under the volume's root in path order. Files list their chunks in order; their concatenation is the file.
/// An encrypted volume's index also carries its chunk key (<see cref="ChunkCipher"/>) and is stored sealed
/// (<see cref="VolumeKeys"/>); a plain index has no <c>chunkKey</c>, so its JSON is what it was before encryption existed.
/// Chunks stored since packs existed lie in pack blobs (<see cref="Packs"/>, <see cref="PackWriter"/>); older chunks are
/// blobs of their own, and one version can have both (a new version keeps an older one's chunks where they are).
/// </summary>
/// <param name="ChunkKey">The volume's chunk key; null for a plain volume.</param>
/// <param name="Packs">The pack blobs the chunks lie in, which <see cref="ChunkRef.Pack"/> numbers; null when no chunk is in a pack.</param>
/// <param name="Chunker">The <see cref="ChunkingProfile"/> its files were cut with; null for <see cref="ChunkingProfile.Legacy"/>.</param>
internal sealed record VolumeIndex(IReadOnlyList<VolumeEntry> Entries, byte[]? ChunkKey = null, IReadOnlyList<PackRef>? Packs = null, string? Chunker = null)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, VolumeIndexJson.Default.VolumeIndex);

    /// <exception cref="LaunchException">Not an index.</exception>
    public static VolumeIndex Parse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, VolumeIndexJson.Default.VolumeIndex) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new LaunchException(LaunchFailure.Registry, $"the volume index is not valid: {e.Message}", e);
        }
    }

    public long TotalBytes => Entries.Sum(e => e.Size);
}

/// <summary>One file, folder or symbolic link of a volume.</summary>
/// <param name="Path">Relative to the volume's root, '/'-separated, never '..'.</param>
/// <param name="Type"><c>file</c>, <c>dir</c> or <c>symlink</c>.</param>
/// <param name="Mode">The permission bits (Unix mode &amp; 07777).</param>
/// <param name="ModifiedMs">The modification time in Unix milliseconds; a snapshot reuses the chunks of a file whose size and time did not change.</param>
/// <param name="Target">A symlink's target; null otherwise.</param>
/// <param name="Chunks">A file's chunks in order; null otherwise.</param>
/// <param name="Uid">The numeric owner; null when not recorded (versions made before owners were stored, or off Linux).</param>
/// <param name="Gid">The numeric group; null as for <paramref name="Uid"/>.</param>
internal sealed record VolumeEntry(string Path, string Type, int Mode, long Size, long ModifiedMs, string? Target, IReadOnlyList<ChunkRef>? Chunks,
    int? Uid = null, int? Gid = null)
{
    public const string File = "file";
    public const string Folder = "dir";
    public const string Symlink = "symlink";
}

/// <summary>One chunk: the digest and length of its stored bytes (the same in plain and encrypted), and where they are.</summary>
/// <param name="Digest">Of the stored bytes: the blob's when the chunk is a blob of its own, else of its slice of the pack.</param>
/// <param name="Plain">An encrypted chunk's plaintext digest (its key is derived from it); null for a plain chunk, whose stored bytes are its plaintext.</param>
/// <param name="Pack">The position in <see cref="VolumeIndex.Packs"/> of the pack holding it; null when it is a blob of its own (stored before packs).</param>
/// <param name="Offset">Where its bytes start in that pack; null with <paramref name="Pack"/>.</param>
internal sealed record ChunkRef(string Digest, int Size, string? Plain = null, int? Pack = null, long? Offset = null);

/// <summary>A pack: one blob holding many chunks back to back (layer media type <c>application/vnd.dockyard.volume.pack.v1</c>).</summary>
internal sealed record PackRef(string Digest, long Size);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VolumeIndex))]
internal sealed partial class VolumeIndexJson : JsonSerializerContext;
