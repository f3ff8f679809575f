using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Interop.Tests.Backends;

/// <summary>
/// An OCI layout of one image whose only layer is a gzip tar of <c>size</c> random bytes (stored, not deflated, so
/// building it costs little CPU), written straight to disk: a large layer is never held in memory.
/// </summary>
public static class LargeLayer
{
    /// <summary>Writes the layout under <paramref name="directory"/>; returns the manifest digest and the layer digest.</summary>
    public static (string Manifest, string Layer) WriteImage(string directory, string tag, long size)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var data = Path.Combine(directory, "random.bin");
        WriteRandom(data, size);
        var tar = Path.Combine(directory, "layer.tar");
        using (var tarFile = File.Create(tar))
        using (var writer = new TarWriter(tarFile, TarEntryFormat.Pax))
        {
            writer.WriteEntry(data, "data.bin");
        }
        File.Delete(data);
        var diffId = "sha256:" + Hash(tar);
        var gzip = Path.Combine(directory, "layer.gz");
        using (var input = File.OpenRead(tar))
        using (var output = new GZipStream(File.Create(gzip), CompressionLevel.NoCompression))
        {
            input.CopyTo(output, 1 << 20);
        }
        File.Delete(tar);
        var layerDigest = "sha256:" + Hash(gzip);
        var layerSize = new FileInfo(gzip).Length;
        File.Move(gzip, Path.Combine(blobs, layerDigest[7..]));

        var config = OciBlob.Json(OciBlob.ConfigType, new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = new[] { diffId } },
        });
        var manifest = OciBlob.Json(OciBlob.ManifestType, new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciBlob.ManifestType,
            ["config"] = config.Descriptor(),
            ["layers"] = new[] { new Dictionary<string, object> { ["mediaType"] = OciBlob.LayerType, ["digest"] = layerDigest, ["size"] = layerSize } },
        });
        foreach (var blob in new[] { config, manifest })
        {
            File.WriteAllBytes(Path.Combine(blobs, blob.Digest[7..]), blob.Content);
        }
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var index = OciBlob.Json(OciBlob.IndexType, new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new[] { manifest.Descriptor(annotations: new Dictionary<string, string> { [OciLayoutBuilder.RefNameAnnotation] = tag }) },
        });
        File.WriteAllBytes(Path.Combine(directory, "index.json"), index.Content);
        return (manifest.Digest, layerDigest);
    }

    private static void WriteRandom(string path, long size)
    {
        using var file = File.Create(path);
        var buffer = new byte[1 << 20];
        for (long written = 0; written < size; written += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    /// <summary>The sha256 hex of a file, read in 1 MiB pieces.</summary>
    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
