using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A volume version's file index, stored as the manifest's config blob (<c>application/vnd.dockyard.volume.index.v1+json</c>):
/// every entry under the volume's root in path order. Files list their chunks in order; their concatenation is the file.
/// An encrypted volume's index also carries its chunk key (<see cref="ChunkCipher"/>) and is stored sealed
/// (<see cref="VolumeKeys"/>); a plain index has no <c>chunkKey</c>, so its JSON is what it was before encryption existed.
/// </summary>
/// <param name="ChunkKey">The volume's chunk key; null for a plain volume.</param>
internal sealed record VolumeIndex(IReadOnlyList<VolumeEntry> Entries, byte[]? ChunkKey = null)
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

/// <summary>One chunk: its blob digest and length (the same in plain and encrypted).</summary>
/// <param name="Plain">An encrypted chunk's plaintext digest (its key is derived from it); null for a plain chunk, whose blob is its plaintext.</param>
internal sealed record ChunkRef(string Digest, int Size, string? Plain = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VolumeIndex))]
internal sealed partial class VolumeIndexJson : JsonSerializerContext;
