using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Encryption;

/// <summary>Descriptors inside a manifest's JSON, read into Core's <see cref="Descriptor"/> and written back in place.</summary>
internal static class ManifestJson
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEnumerable<JsonObject> Entries(JsonObject manifest, string property) =>
        manifest[property] is JsonArray array ? array.Select(e => e!.AsObject()).ToList() : [];

    public static Descriptor Read(JsonObject entry)
    {
        var annotations = entry["annotations"] is JsonObject a ? a.ToDictionary(p => p.Key, p => (string?)p.Value ?? "") : null;
        var urls = entry["urls"] is JsonArray u ? u.Select(x => (string?)x ?? "").ToList() : [];
        return new Descriptor((string?)entry["mediaType"] ?? "", Digest.Parse((string?)entry["digest"]), (long?)entry["size"] ?? 0,
            (string?)entry["artifactType"], urls, annotations);
    }

    /// <summary>Sets media type, digest, size and annotations (removed when null); other fields stay as they were.</summary>
    public static void Write(JsonObject entry, Descriptor descriptor)
    {
        entry["mediaType"] = descriptor.MediaType;
        entry["digest"] = descriptor.Digest.Value;
        entry["size"] = descriptor.Size;
        if (descriptor.Annotations is { Count: > 0 } annotations)
        {
            var node = new JsonObject();
            foreach (var (key, value) in annotations)
            {
                node[key] = value;
            }
            entry["annotations"] = node;
        }
        else
        {
            entry.Remove("annotations");
        }
    }

    public static byte[] Serialize(JsonObject manifest)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            manifest.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
