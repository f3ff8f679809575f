using Azure.Data.Tables;

namespace Dockyard.Azure.Tables;

/// <summary>
/// A string property longer than Tables allows (64 KiB, 32K UTF-16 characters) spread over <c>Name</c>,
/// <c>Name1</c>, <c>Name2</c>… (an entity holds at most 1 MiB in all, which bounds the total).
/// </summary>
internal static class LongText
{
    private const int Chunk = 30_000;

    /// <summary>Stores <paramref name="value"/>; null stores nothing (and reads back as null).</summary>
    public static void Write(TableEntity entity, string name, string? value)
    {
        if (value is null)
        {
            return;
        }
        entity[name] = value.Length <= Chunk ? value : value[..Chunk];
        for (int i = 1, start = Chunk; start < value.Length; i++, start += Chunk)
        {
            entity[name + i] = value.Substring(start, Math.Min(Chunk, value.Length - start));
        }
    }

    /// <summary>The stored string; null when none was stored.</summary>
    public static string? Read(TableEntity entity, string name)
    {
        var first = entity.GetString(name);
        if (first is null || first.Length < Chunk)
        {
            return first;
        }
        var builder = new System.Text.StringBuilder(first);
        for (var i = 1; entity.GetString(name + i) is { } next; i++)
        {
            builder.Append(next);
        }
        return builder.ToString();
    }
}
