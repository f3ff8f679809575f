using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Dockyard.Core.Collection;

/// <summary>
/// How stores keep a <see cref="CollectionRun"/>: a row key whose ordinal order is newest first (so a history is one
/// ordered listing and trimming it one range delete), and the run itself as one JSON text column or property, so that
/// every store has the same two fields and a new figure needs no schema change.
/// </summary>
public static class CollectionRunText
{
    /// <summary>
    /// The run's key: the ticks left until <see cref="DateTimeOffset.MaxValue"/> (fixed width, so newer runs sort
    /// first) and a random suffix, so that two nodes recording runs started in the same tick keep both.
    /// </summary>
    public static string Key(CollectionRun run) =>
        (DateTimeOffset.MaxValue.UtcTicks - run.StartedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-"
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static string Format(CollectionRun run)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("startedAt", run.StartedAt.ToUniversalTime());
            writer.WriteNumber("durationTicks", run.Duration.Ticks);
            writer.WriteBoolean("dryRun", run.DryRun);
            writer.WriteNumber("repositories", run.Repositories);
            writer.WriteNumber("tagsDeleted", run.TagsDeleted);
            writer.WriteNumber("manifestsDeleted", run.ManifestsDeleted);
            writer.WriteNumber("blobsDeleted", run.BlobsDeleted);
            writer.WriteNumber("bytesFreed", run.BytesFreed);
            if (run.Error is { } error)
            {
                writer.WriteString("error", error);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="JsonException">The text was not made by <see cref="Format"/>.</exception>
    public static CollectionRun Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        try
        {
            return new CollectionRun(
                root.GetProperty("startedAt").GetDateTimeOffset(),
                TimeSpan.FromTicks(root.GetProperty("durationTicks").GetInt64()),
                root.GetProperty("dryRun").GetBoolean(),
                root.GetProperty("repositories").GetInt32(),
                root.GetProperty("tagsDeleted").GetInt32(),
                root.GetProperty("manifestsDeleted").GetInt32(),
                root.GetProperty("blobsDeleted").GetInt32(),
                root.GetProperty("bytesFreed").GetInt64(),
                root.TryGetProperty("error", out var error) ? error.GetString() : null);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException("not a garbage collection run record", e);
        }
    }
}
