using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Dockyard.Testing;

namespace Dockyard.Web.Tests.Browser;

/// <summary>
/// Writes a one-layer OCI image layout (oci-layout, index.json, blobs/sha256/...) for <c>skopeo copy oci:DIR:TAG</c>.
/// The layer is a tar of one small file; the config carries a label and a command so the manifest page has something to show.
/// </summary>
public static class OciLayout
{
    /// <summary>Writes the layout; returns the layer's digest (what the manifest page must list).</summary>
    public static string Write(string directory, string tag)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var (tar, gzip) = Layer();
        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new Dictionary<string, object>
            {
                ["Cmd"] = new[] { "/hello.txt" },
                ["Labels"] = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "web UI test image" },
            },
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = new[] { TestImage.DigestOf(tar) } },
            ["history"] = new[] { new Dictionary<string, object> { ["created_by"] = "Dockyard web UI tests" } },
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
            ["layers"] = new[] { Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", gzip) },
        });
        foreach (var blob in new[] { config, gzip, manifest })
        {
            File.WriteAllBytes(Path.Combine(blobs, TestImage.DigestOf(blob)["sha256:".Length..]), blob);
        }
        var index = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new[]
            {
                new Dictionary<string, object>(Descriptor("application/vnd.oci.image.manifest.v1+json", manifest))
                {
                    ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        };
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(index));
        return TestImage.DigestOf(gzip);
    }

    private static (byte[] Tar, byte[] Gzip) Layer()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("hello " + Guid.NewGuid() + "\n")),
            };
            writer.WriteEntry(entry);
        }
        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }
        return (tar.ToArray(), gzip.ToArray());
    }

    private static Dictionary<string, object> Descriptor(string mediaType, byte[] content) =>
        new() { ["mediaType"] = mediaType, ["digest"] = TestImage.DigestOf(content), ["size"] = content.Length };
}
