using System.Formats.Tar;
using System.IO.Compression;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// An OCI layout of one linux/amd64 image with several layers, each a gzip tar of one file of random bytes, so that
/// no two runs push the same blob. Small enough to hold in memory (a few MiB).
/// </summary>
public static class MultiLayerImage
{
    /// <summary>Writes the layout under <paramref name="directory"/>; returns the manifest and the layers in order.</summary>
    public static (OciBlob Manifest, IReadOnlyList<OciBlob> Layers) Write(string directory, string tag, params int[] layerSizes)
    {
        var layers = layerSizes.Select((size, i) => Layer($"layer{i}.bin", size)).ToList();
        var config = OciBlob.Json(OciBlob.ConfigType, new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = layers.Select(l => l.DiffId).ToArray() },
        });
        var manifest = OciBlob.Json(OciBlob.ManifestType, new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciBlob.ManifestType,
            ["config"] = config.Descriptor(),
            ["layers"] = layers.Select(l => l.Blob.Descriptor()).ToArray(),
        });
        OciLayoutBuilder.Write(directory, tag, manifest, layers.Select(l => l.Blob).Append(config).Append(manifest));
        return (manifest, layers.Select(l => l.Blob).ToList());
    }

    private static (OciBlob Blob, string DiffId) Layer(string name, int size)
    {
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }
        return (new OciBlob(OciBlob.LayerType, gzip.ToArray()), OciBlob.DigestOf(tar.ToArray()));
    }
}
