using System.Text.Json;

namespace Dockyard.Web.Browsing;

/// <summary>One step of an image's history: when, the command that made it, and whether it added a layer.</summary>
public sealed record HistoryStep(string? Created, string? CreatedBy, bool EmptyLayer);

/// <summary>
/// What the manifest page shows of an image configuration (OCI image-spec config / Docker container config). Absent
/// fields are null or empty. Values are shown as text only: they come from whoever pushed the image.
/// </summary>
public sealed record ImageConfig(
    string? Os,
    string? Architecture,
    string? Variant,
    string? Created,
    IReadOnlyList<string> Env,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    string? User,
    string? WorkingDir,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<HistoryStep> History)
{
    /// <summary>The config read leniently (a field of the wrong type is left out); null when the bytes are not a JSON object.</summary>
    public static ImageConfig? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var config = Property(root, "config") is { ValueKind: JsonValueKind.Object } c ? c : default;
            return new ImageConfig(Text(root, "os"), Text(root, "architecture"), Text(root, "variant"), Text(root, "created"),
                Strings(config, "Env"), Strings(config, "Entrypoint"), Strings(config, "Cmd"), Text(config, "User"), Text(config, "WorkingDir"),
                ReadLabels(config), ReadHistory(root));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    private static SortedDictionary<string, string> ReadLabels(JsonElement config)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Property(config, "Labels") is { ValueKind: JsonValueKind.Object } map)
        {
            foreach (var label in map.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.String))
            {
                labels[label.Name] = label.Value.GetString()!;
            }
        }
        return labels;
    }

    private static List<HistoryStep> ReadHistory(JsonElement root) =>
        Property(root, "history") is { ValueKind: JsonValueKind.Array } steps
            ? steps.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object)
                .Select(s => new HistoryStep(Text(s, "created"), Text(s, "created_by"), Property(s, "empty_layer") is { ValueKind: JsonValueKind.True }))
                .ToList()
            : [];
}
