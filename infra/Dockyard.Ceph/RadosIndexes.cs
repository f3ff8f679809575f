using System.Buffers;
using System.Text.Json;

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

/// <summary>
/// The indexes as JSON: <c>{"size":…,"chunkSize":…,"chunks":…}</c> for a part, <c>{"size":…,"chunks":[{"object":…,"size":…}]}</c>
/// for a blob. Written and read with <see cref="Utf8JsonWriter"/> and <see cref="Utf8JsonReader"/> rather than the
/// serializer: its metadata and converters were code and data pages only a RADOS push touched (0.8 MiB of its peak
/// RSS, docs/benchmarks.md, issue 14). Unknown properties are skipped; a missing one makes the index invalid.
/// </summary>
internal static class RadosJson
{
    public static byte[] Serialize(PartIndex index) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("size"u8, index.Size);
        json.WriteNumber("chunkSize"u8, index.ChunkSize);
        json.WriteNumber("chunks"u8, index.Chunks);
        json.WriteEndObject();
    });

    public static byte[] Serialize(BlobIndex index) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("size"u8, index.Size);
        json.WriteStartArray("chunks"u8);
        foreach (var chunk in index.Chunks)
        {
            json.WriteStartObject();
            json.WriteString("object"u8, chunk.Object);
            json.WriteNumber("size"u8, chunk.Size);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static PartIndex ReadPart(byte[] json, string oid) => Parse(json, oid, (ref Utf8JsonReader reader) =>
    {
        long? size = null;
        int? chunkSize = null, chunks = null;
        ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "size": size = r.GetInt64(); break;
                case "chunkSize": chunkSize = r.GetInt32(); break;
                case "chunks": chunks = r.GetInt32(); break;
                default: r.Skip(); break;
            }
        });
        return size is { } s && chunkSize is { } c && chunks is { } n ? new PartIndex(s, c, n) : null;
    });

    public static BlobIndex ReadBlob(byte[] json, string oid) => Parse(json, oid, (ref Utf8JsonReader reader) =>
    {
        long? size = null;
        List<BlobChunk>? chunks = null;
        ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "size": size = r.GetInt64(); break;
                case "chunks": chunks = ReadChunks(ref r); break;
                default: r.Skip(); break;
            }
        });
        return size is { } s && chunks is not null ? new BlobIndex(s, chunks) : null;
    });

    private delegate void PropertyReader(ref Utf8JsonReader reader, string name);

    private delegate T? IndexReader<T>(ref Utf8JsonReader reader);

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static List<BlobChunk>? ReadChunks(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var chunks = new List<BlobChunk>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string? name = null;
            long? size = null;
            ReadObject(ref reader, (ref Utf8JsonReader r, string property) =>
            {
                switch (property)
                {
                    case "object": name = r.GetString(); break;
                    case "size": size = r.GetInt64(); break;
                    default: r.Skip(); break;
                }
            });
            if (name is null || size is not { } s)
            {
                return null;
            }
            chunks.Add(new BlobChunk(name, s));
        }
        return chunks;
    }

    /// <summary>Reads the object the reader is on, handing each property's value to <paramref name="property"/>.</summary>
    private static void ReadObject(ref Utf8JsonReader reader, PropertyReader property)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an object was expected");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            property(ref reader, name);
        }
    }

    private static T Parse<T>(byte[] json, string oid, IndexReader<T> read) where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var index = read(ref reader);
            if (index is not null && !reader.Read())
            {
                return index;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"rados: index object {oid} is not a valid index", e);
        }
        throw new InvalidDataException($"rados: index object {oid} is not a valid index");
    }
}
