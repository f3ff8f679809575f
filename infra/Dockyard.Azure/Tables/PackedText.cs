using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Dockyard.Core.Errors;

namespace Dockyard.Azure.Tables;

/// <summary>
/// A string of up to a megabyte (V1 image JSON, ACI manifests) kept as gzip-compressed UTF-8 in binary properties
/// <c>Name</c>, <c>Name1</c>, <c>Name2</c>… of at most 64 KiB each. <see cref="LongText"/> stores UTF-16, so an
/// entity's 1 MiB holds only half a megabyte of it; compressed JSON fits many times over. Only text that compresses
/// to more than <see cref="MaxPacked"/> bytes (a megabyte of random base64, never real JSON) is refused.
/// </summary>
internal static class PackedText
{
    private const int Chunk = 60_000;

    /// <summary>
    /// What an entity can hold beside its keys and small properties: binary goes over the wire as base64, and Azurite
    /// counts that against the 1 MiB an entity may have.
    /// </summary>
    public const int MaxPacked = 700_000;

    /// <exception cref="RegistryException"><see cref="RegistryErrorCode.BodyTooLarge"/>: even compressed, the text does not fit in one entity.</exception>
    public static void Write(TableEntity entity, string name, string value)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(value));
        }
        if (packed.Length > MaxPacked)
        {
            throw new RegistryException(RegistryErrorCode.BodyTooLarge,
                $"{name} compresses to {packed.Length} bytes; Azure Tables ([db] driver = azuretables) holds at most {MaxPacked}");
        }
        var bytes = packed.GetBuffer().AsSpan(0, (int)packed.Length);
        for (int i = 0, start = 0; start < bytes.Length || i == 0; i++, start += Chunk)
        {
            entity[i == 0 ? name : name + i] = bytes.Slice(start, Math.Min(Chunk, bytes.Length - start)).ToArray();
        }
    }

    /// <summary>The stored string; null when none was stored.</summary>
    public static string? Read(TableEntity entity, string name)
    {
        if (entity.GetBinary(name) is not { } first)
        {
            return null;
        }
        using var packed = new MemoryStream();
        packed.Write(first);
        for (var i = 1; entity.GetBinary(name + i) is { } next; i++)
        {
            packed.Write(next);
        }
        packed.Position = 0;
        using var gzip = new GZipStream(packed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
