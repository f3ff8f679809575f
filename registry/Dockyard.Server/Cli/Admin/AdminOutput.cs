using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dockyard.Server.Cli.Admin;

/// <summary>Prints results: aligned tables and "key: value" records for people, the API's JSON with <c>--json</c>.</summary>
internal sealed class AdminOutput(bool json, TextWriter writer)
{
    // Printed for a terminal or a script, never embedded in HTML: '+' and non-ASCII stay as they are.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One row per item with the named fields as columns (absent fields print as "-").</summary>
    public void Table(JsonArray rows, params string[] columns)
    {
        if (json)
        {
            writer.WriteLine(rows.ToJsonString(Indented));
            return;
        }
        var cells = rows.Select(row => columns.Select(c => Text(row?[c])).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        writer.WriteLine(Line(columns.Select(c => c.ToUpperInvariant()).ToArray(), widths));
        foreach (var row in cells)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    /// <summary>A list of plain names (tags): one per line, or a JSON array.</summary>
    public void Names(IReadOnlyList<string> names)
    {
        if (json)
        {
            writer.WriteLine(JsonSerializer.Serialize(names, Indented));
            return;
        }
        foreach (var name in names)
        {
            writer.WriteLine(name);
        }
    }

    /// <summary>One item: "field: value" per line; nested lists as indented tables of their items.</summary>
    public void Record(JsonNode item)
    {
        if (json)
        {
            writer.WriteLine(item.ToJsonString(Indented));
            return;
        }
        foreach (var (key, value) in item.AsObject())
        {
            if (value is JsonArray list)
            {
                writer.WriteLine($"{key}: {(list.Count == 0 ? "none" : "")}");
                foreach (var entry in list)
                {
                    writer.WriteLine("  " + string.Join("  ", entry!.AsObject().Select(p => $"{p.Key}={Text(p.Value)}")));
                }
                continue;
            }
            writer.WriteLine($"{key}: {Text(value)}");
        }
    }

    /// <summary>A confirmation of a change, for people only (with <c>--json</c> a change prints nothing).</summary>
    public void Done(string message)
    {
        if (!json)
        {
            writer.WriteLine(message);
        }
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "-",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
