using System.Text.Json.Nodes;

namespace Dockyard.Interop.Tests.TestImages;

/// <summary>Reads back an OCI image layout a client wrote, to compare what came back with what was pushed.</summary>
public sealed class OciLayoutReader(string directory)
{
    /// <summary>The descriptor index.json gives for <paramref name="tag"/>.</summary>
    public JsonObject Resolve(string tag)
    {
        var index = ReadJson(File.ReadAllBytes(Path.Combine(directory, "index.json")));
        var match = index["manifests"]!.AsArray().Select(m => m!.AsObject())
            .FirstOrDefault(m => (string?)m["annotations"]?[OciLayoutBuilder.RefNameAnnotation] == tag);
        return match ?? throw new InvalidOperationException($"tag {tag} not in {directory}/index.json: {index.ToJsonString()}");
    }

    /// <summary>The bytes of a blob, checked against its digest.</summary>
    public byte[] Blob(string digest)
    {
        var content = File.ReadAllBytes(Path.Combine(directory, "blobs", "sha256", digest["sha256:".Length..]));
        var actual = OciBlob.DigestOf(content);
        return actual == digest ? content : throw new InvalidOperationException($"blob {digest} has digest {actual}");
    }

    public JsonObject Json(string digest) => ReadJson(Blob(digest));

    /// <summary>The layer digests of an image manifest, in order.</summary>
    public IReadOnlyList<string> LayerDigests(string manifestDigest) =>
        Json(manifestDigest)["layers"]!.AsArray().Select(l => (string)l!["digest"]!).ToList();

    private static JsonObject ReadJson(byte[] content) => JsonNode.Parse(content)!.AsObject();
}
