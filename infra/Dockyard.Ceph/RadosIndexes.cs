using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Ceph;

/// <summary>
/// The index object of a staged part, written after all its chunk objects: <paramref name="Chunks"/> objects
/// <c>upload.&lt;upload&gt;.&lt;part&gt;.&lt;n&gt;</c>, each <paramref name="ChunkSize"/> bytes but the last.
/// </summary>
internal sealed record PartIndex(long Size, int ChunkSize, int Chunks);

/// <summary>One chunk object of a published blob and its size.</summary>
internal sealed record BlobChunk(string Object, long Size);

/// <summary>
/// The index object of a published blob, written last: the blob is the concatenation of <paramref name="Chunks"/>.
/// The chunk objects are those its parts were staged in (publishing copies nothing).
/// </summary>
internal sealed record BlobIndex(long Size, IReadOnlyList<BlobChunk> Chunks);

[JsonSerializable(typeof(PartIndex))]
[JsonSerializable(typeof(BlobIndex))]
// A property missing or null where the record has none is an invalid index, not a default value.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
internal sealed partial class RadosJson : JsonSerializerContext
{
    public static byte[] Serialize(PartIndex index) => JsonSerializer.SerializeToUtf8Bytes(index, Default.PartIndex);

    public static byte[] Serialize(BlobIndex index) => JsonSerializer.SerializeToUtf8Bytes(index, Default.BlobIndex);

    public static PartIndex ReadPart(byte[] json, string oid) =>
        Parse(() => JsonSerializer.Deserialize(json, Default.PartIndex), oid);

    public static BlobIndex ReadBlob(byte[] json, string oid) =>
        Parse(() => JsonSerializer.Deserialize(json, Default.BlobIndex), oid);

    private static T Parse<T>(Func<T?> parse, string oid) where T : class
    {
        try
        {
            return parse() ?? throw new InvalidDataException($"rados: index object {oid} is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"rados: index object {oid} is not a valid index", e);
        }
    }
}
