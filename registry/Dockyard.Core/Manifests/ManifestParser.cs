using System.Text.Json;
using Dockyard.Core.Bodies;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Parses and validates manifest bytes as pushed. The bytes are never rewritten: the digest is that of the
/// exact body, and every structural fault is a MANIFEST_INVALID naming what is wrong.
/// </summary>
public static class ManifestParser
{
    /// <summary>Manifests larger than this are refused; the spec asks registries to accept at least 4 MiB.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <param name="body">The manifest bytes exactly as received.</param>
    /// <param name="contentType">The request's Content-Type without parameters; null or empty when absent.</param>
    /// <param name="digestAlgorithm">The algorithm to digest the body with (that of a digest reference).</param>
    /// <param name="anyKeys">
    /// True to skip <see cref="ManifestKeys"/>: only for reading back what may have been stored before keys were checked,
    /// where refusing would lose more than it protects (garbage collection keeps what such a manifest refers to).
    /// </param>
    public static ParsedManifest Parse(ReadOnlyMemory<byte> body, string? contentType, string digestAlgorithm = Digest.Sha256, bool anyKeys = false)
    {
        if (body.Length > MaxManifestBytes)
        {
            throw new RegistryException(RegistryErrorCode.ManifestTooLarge,
                $"manifest is larger than the {MaxManifestBytes} bytes limit", new { size = body.Length, limit = MaxManifestBytes });
        }
        JsonDocument document;
        try
        {
            document = StrictJson.Parse(body);
        }
        catch (JsonException e)
        {
            throw Invalid("manifest is not valid JSON: " + e.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("manifest must be a JSON object");
            }
            if (!anyKeys)
            {
                ManifestKeys.RequireUnambiguous(root);
            }
            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var schemaVersion))
            {
                throw Invalid("schemaVersion is missing");
            }
            var mediaType = ResolveMediaType(root, contentType, schemaVersion);
            var digest = Digest.Compute(body.Span, digestAlgorithm);
            var subject = OptionalDescriptor(root, "subject");
            var artifactType = OptionalString(root, "artifactType");
            var annotations = ReadAnnotations(root);
            if (MediaTypes.IsIndex(mediaType))
            {
                var children = RequiredDescriptors(root, "manifests");
                return new ParsedManifest(mediaType, digest, body.Length, null, [], children, subject, artifactType, annotations);
            }
            var config = OptionalDescriptor(root, "config") ?? throw Invalid("config is missing");
            var layers = RequiredDescriptors(root, "layers");
            return new ParsedManifest(mediaType, digest, body.Length, config, layers, [], subject, artifactType, annotations);
        }
    }

    private static string ResolveMediaType(JsonElement root, string? contentType, int schemaVersion)
    {
        var declared = OptionalString(root, "mediaType");
        if (schemaVersion == 1 || contentType is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed)
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid,
                "Docker schema 1 manifests are not supported; push schema 2 or OCI", new { mediaType = declared ?? contentType });
        }
        if (schemaVersion != 2)
        {
            throw Invalid($"unsupported schemaVersion {schemaVersion}");
        }
        // A generic JSON Content-Type says nothing about the manifest kind: the body's mediaType decides.
        if (contentType is "application/json" or "application/octet-stream")
        {
            contentType = null;
        }
        if (!string.IsNullOrEmpty(declared) && !string.IsNullOrEmpty(contentType) && declared != contentType)
        {
            throw Invalid($"mediaType '{declared}' does not match Content-Type '{contentType}'");
        }
        var mediaType = !string.IsNullOrEmpty(declared) ? declared
            : !string.IsNullOrEmpty(contentType) ? contentType
            : root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex
            : MediaTypes.OciManifest;
        if (!MediaTypes.IsSupported(mediaType))
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid,
                $"unsupported manifest media type '{mediaType}'", new { mediaType });
        }
        return mediaType;
    }

    private static IReadOnlyList<Descriptor> RequiredDescriptors(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{property} must be an array");
        }
        var result = new List<Descriptor>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            result.Add(ReadDescriptor(element, $"{property}[{index++}]"));
        }
        return result;
    }

    private static Descriptor? OptionalDescriptor(JsonElement root, string property) =>
        root.TryGetProperty(property, out var element) && element.ValueKind != JsonValueKind.Null
            ? ReadDescriptor(element, property)
            : null;

    private static Descriptor ReadDescriptor(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path} must be a descriptor object");
        }
        var mediaType = OptionalString(element, "mediaType");
        if (string.IsNullOrEmpty(mediaType))
        {
            throw Invalid($"{path}.mediaType is missing");
        }
        var digestText = OptionalString(element, "digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid, $"{path}.digest is not a valid digest", new { digest = digestText });
        }
        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw Invalid($"{path}.size must be a non-negative integer");
        }
        return new Descriptor(mediaType, digest, size, OptionalString(element, "artifactType"), ReadUrls(element, path),
            ReadAnnotations(element), ReadPlatform(element, path));
    }

    private static string[] ReadUrls(JsonElement element, string path)
    {
        if (!element.TryGetProperty("urls", out var urls) || urls.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (urls.ValueKind != JsonValueKind.Array || urls.EnumerateArray().Any(u => u.ValueKind != JsonValueKind.String))
        {
            throw Invalid($"{path}.urls must be an array of strings");
        }
        return [.. urls.EnumerateArray().Select(u => u.GetString()!)];
    }

    private static Platform? ReadPlatform(JsonElement element, string path)
    {
        if (!element.TryGetProperty("platform", out var platform) || platform.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (platform.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}.platform must be an object");
        }
        return new Platform(OptionalString(platform, "os") ?? "", OptionalString(platform, "architecture") ?? "", OptionalString(platform, "variant"));
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var annotations) || annotations.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (annotations.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("annotations must be an object of strings");
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"annotation '{property.Name}' must be a string");
            }
            result[property.Name] = property.Value.GetString()!;
        }
        return result;
    }

    private static string? OptionalString(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{property} must be a string");
    }

    private static RegistryException Invalid(string message) => new(RegistryErrorCode.ManifestInvalid, message);
}
