using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Dockyard.Testing;

/// <summary>
/// A Docker Registry V1 image as docker 1.x pushed it: a random 64-hex id, the image JSON (id, parent, created,
/// container_config.Cmd, config, architecture, os) and a layer tar, gzip-compressed or not.
/// </summary>
public sealed record V1Image(string Id, string? Parent, byte[] Json, byte[] Layer, byte[] Tar)
{
    /// <summary>What docker ≥ 0.10 sends as <c>X-Docker-Checksum-Payload</c>: sha256 of the JSON, a newline and the layer bytes.</summary>
    public string PayloadChecksum => "sha256:" + Convert.ToHexStringLower(SHA256.HashData([.. Json, (byte)'\n', .. Layer]));

    /// <summary>sha256 of the layer bytes as sent: the blob digest of the converted image.</summary>
    public string LayerDigest => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Layer));

    /// <summary>sha256 of the uncompressed tar: the diff id.</summary>
    public string DiffId => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Tar));

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <param name="tar">The layer tar; <see cref="TarOf"/> makes one.</param>
    public static V1Image Create(string? parent, byte[] tar, bool gzip, string command, string? id = null)
    {
        id ??= NewId();
        var json = new JsonObject
        {
            ["id"] = id,
            ["created"] = "2015-06-01T12:00:00.000000000Z",
            ["container_config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/sh", "-c", command) },
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh"), ["Env"] = new JsonArray("PATH=/bin") },
            ["docker_version"] = "1.6.2",
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["Size"] = tar.Length,
        };
        if (parent is not null)
        {
            json["parent"] = parent;
        }
        return new V1Image(id, parent, Encoding.UTF8.GetBytes(json.ToJsonString()), gzip ? Gzip(tar) : tar, tar);
    }

    /// <summary>A tar of the given files (name → content), mtime 0, owner root.</summary>
    public static byte[] TarOf(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0b110_100_100, ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                };
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return buffer.ToArray();
    }
}
