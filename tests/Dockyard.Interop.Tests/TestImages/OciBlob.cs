using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dockyard.Interop.Tests.TestImages;

/// <summary>Content-addressed bytes with their media type, as a descriptor names them.</summary>
public sealed record OciBlob(string MediaType, byte[] Content)
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexType = "application/vnd.oci.image.index.v1+json";
    public const string ConfigType = "application/vnd.oci.image.config.v1+json";
    public const string LayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public string Digest => DigestOf(Content);

    public long Size => Content.Length;

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static OciBlob Json(string mediaType, object document) =>
        new(mediaType, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document, Compact)));

    /// <summary>A descriptor for this blob, optionally with a platform and annotations.</summary>
    public Dictionary<string, object> Descriptor(object? platform = null, IDictionary<string, string>? annotations = null)
    {
        var descriptor = new Dictionary<string, object> { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Size };
        if (platform is not null)
        {
            descriptor["platform"] = platform;
        }
        if (annotations is not null)
        {
            descriptor["annotations"] = annotations;
        }
        return descriptor;
    }
}
