using System.Collections.Frozen;
using System.Text.Json;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Refuses manifests whose keys another parser would read differently from <see cref="ManifestParser"/>. Go's
/// encoding/json, which docker, containerd, skopeo and cosign decode manifests with, takes the last of duplicate keys
/// and matches a struct's fields case-insensitively under Unicode folding (<c>Layers</c>, <c>LAYERS</c> and
/// <c>layerſ</c> all fill <c>layers</c>), while System.Text.Json matches names exactly. What the registry checks (the
/// referenced blobs, the signing policy's exemption of signatures, the quota) must be what those clients pull, so a key
/// named twice in any object, or a field of the manifest, a descriptor or a platform spelled in another case, is refused.
/// </summary>
internal static class ManifestKeys
{
    // Each struct's field names by their folded form.
    private static readonly FrozenDictionary<string, string> RootFields =
        ByFold("schemaVersion", "mediaType", "artifactType", "config", "layers", "manifests", "subject", "annotations");

    private static readonly FrozenDictionary<string, string> DescriptorFields =
        ByFold("mediaType", "digest", "size", "urls", "annotations", "data", "platform", "artifactType");

    private static readonly FrozenDictionary<string, string> PlatformFields =
        ByFold("architecture", "os", "os.version", "os.features", "variant", "features");

    /// <exception cref="RegistryException">MANIFEST_INVALID naming the key.</exception>
    public static void RequireUnambiguous(JsonElement root)
    {
        RequireDistinct(root, "manifest");
        RequireExactFields(root, RootFields, "manifest");
        foreach (var name in (ReadOnlySpan<string>)["config", "subject"])
        {
            if (root.TryGetProperty(name, out var descriptor))
            {
                Descriptor(descriptor, name);
            }
        }
        foreach (var name in (ReadOnlySpan<string>)["layers", "manifests"])
        {
            if (root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var descriptor in list.EnumerateArray())
                {
                    Descriptor(descriptor, $"{name}[{index++}]");
                }
            }
        }
    }

    private static void Descriptor(JsonElement descriptor, string path)
    {
        RequireExactFields(descriptor, DescriptorFields, path);
        if (descriptor.ValueKind == JsonValueKind.Object && descriptor.TryGetProperty("platform", out var platform))
        {
            RequireExactFields(platform, PlatformFields, path + ".platform");
        }
    }

    // Every object at any depth (annotations included: a map is decoded last-wins, as here, but other parsers refuse).
    private static void RequireDistinct(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                RequireDistinct(item, path);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Ambiguous($"key '{Shown(property.Name)}' appears twice in {Shown(path)}", property.Name);
            }
            RequireDistinct(property.Value, $"{path}.{property.Name}");
        }
    }

    private static void RequireExactFields(JsonElement element, FrozenDictionary<string, string> fields, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (fields.TryGetValue(Fold(property.Name), out var field) && property.Name != field)
            {
                throw Ambiguous($"key '{Shown(property.Name)}' in {path} is '{field}' to clients that match keys case-insensitively", property.Name);
            }
        }
    }

    private static FrozenDictionary<string, string> ByFold(params string[] fields) => fields.ToFrozenDictionary(Fold, StringComparer.Ordinal);

    // Go's foldName maps ASCII to upper case and any other rune r to ToUpper(ToLower(r)). The fields are ASCII, so only
    // the runes that land on an ASCII letter matter: 'ſ' (U+017F) → 'S', Kelvin 'K' (U+212A) → 'K', 'İ' (U+0130) and
    // 'ı' (U+0131) → 'I' (.NET's invariant casing keeps those four apart from ASCII on purpose).
    private static string Fold(string name) => string.Create(name.Length, name, static (folded, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            folded[i] = source[i] switch
            {
                >= 'a' and <= 'z' => (char)(source[i] - ('a' - 'A')),
                '\u017f' => 'S',
                '\u212a' => 'K',
                '\u0130' or '\u0131' => 'I',
                var other => other,
            };
        }
    });

    // A key is echoed in the error at most 100 characters long.
    private static string Shown(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static RegistryException Ambiguous(string message, string key) =>
        new(RegistryErrorCode.ManifestInvalid, message, new { key = Shown(key) });
}
