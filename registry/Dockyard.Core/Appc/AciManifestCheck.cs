using System.Text.Json;
using Dockyard.Core.Bodies;

namespace Dockyard.Core.Appc;

/// <summary>
/// Checks an ACI's image manifest against what was pushed: JSON with <c>acKind</c> ImageManifest, an
/// <c>acVersion</c>, a <c>name</c> among the expected names, and <c>version</c>, <c>os</c> and <c>arch</c> labels equal to
/// those of the file name. Refusals are MANIFEST_INVALID with the reason.
/// </summary>
public static class AciManifestCheck
{
    /// <summary>Returns the manifest's name.</summary>
    public static string Validate(byte[] manifest, IReadOnlyCollection<string> expectedNames, AciFileName file)
    {
        JsonElement root;
        try
        {
            using var document = StrictJson.Parse(manifest);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw AciArchive.Refuse($"the ACI's manifest is not JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw AciArchive.Refuse("the ACI's manifest is not a JSON object");
        }
        if (Text(root, "acKind") != "ImageManifest")
        {
            throw AciArchive.Refuse("the ACI's manifest must have acKind \"ImageManifest\"");
        }
        if (string.IsNullOrEmpty(Text(root, "acVersion")))
        {
            throw AciArchive.Refuse("the ACI's manifest has no acVersion");
        }
        var name = Text(root, "name");
        if (name is null || !expectedNames.Contains(name))
        {
            throw AciArchive.Refuse($"the ACI's name '{name}' does not match this repository: expected {string.Join(" or ", expectedNames.Select(n => $"'{n}'"))}");
        }
        var labels = Labels(root);
        foreach (var (label, expected) in new[] { ("version", file.Version), ("os", file.Os), ("arch", file.Arch) })
        {
            if (!labels.TryGetValue(label, out var value) || value != expected)
            {
                throw AciArchive.Refuse($"the ACI's label {label} is '{value}' but the pushed file name says '{expected}'");
            }
        }
        return name;
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Labels(JsonElement root)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("labels", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var label in array.EnumerateArray())
            {
                if (label.ValueKind == JsonValueKind.Object && Text(label, "name") is { } n && Text(label, "value") is { } v)
                {
                    labels[n] = v;
                }
            }
        }
        return labels;
    }
}
