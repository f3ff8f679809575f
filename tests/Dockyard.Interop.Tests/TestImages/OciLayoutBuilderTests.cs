using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.TestImages;

/// <summary>The test images are what the interop tests assume: deterministic, well-formed and runnable.</summary>
public sealed class OciLayoutBuilderTests
{
    [Fact]
    public void Busybox_layer_is_deterministic_and_its_diff_id_is_the_uncompressed_digest()
    {
        if (BusyboxLayer.FindBusybox() is not { } busybox)
        {
            RequiredTool.Missing("busybox-static", "not installed");
            return;
        }
        var first = BusyboxLayer.Create(busybox);
        var second = BusyboxLayer.Create(busybox);
        Assert.Equal(first.Digest, second.Digest);

        using var gunzip = new GZipStream(new MemoryStream(first.Compressed), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gunzip.CopyTo(tar);
        Assert.Equal(first.DiffId, OciBlob.DigestOf(tar.ToArray()));

        tar.Position = 0;
        using var reader = new TarReader(tar);
        var entries = new Dictionary<string, TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries[entry.Name] = entry;
            Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
        }
        Assert.Equal(new FileInfo(busybox).Length, entries["bin/busybox"].Length);
        Assert.True(entries["bin/busybox"].Mode.HasFlag(UnixFileMode.OtherExecute));
        Assert.Equal(TarEntryType.SymbolicLink, entries["bin/sh"].EntryType);
        Assert.Equal("busybox", entries["bin/sh"].LinkName);
    }

    [Fact]
    public void Multi_arch_layout_tags_an_index_of_amd64_and_arm64_manifests()
    {
        if (TestWorkspace.Busybox() is not { } layer)
        {
            return;
        }
        using var workspace = new TestWorkspace();
        var image = OciLayoutBuilder.WriteMultiArch(workspace.Folder("multi"), layer, "multi");
        var layout = new OciLayoutReader(workspace.Folder("multi"));

        var root = layout.Resolve("multi");
        Assert.Equal(OciBlob.IndexType, (string?)root["mediaType"]);
        var index = layout.Json((string)root["digest"]!);
        var platforms = index["manifests"]!.AsArray().Select(m => (string)m!["platform"]!["architecture"]!).ToArray();
        Assert.Equal(["amd64", "arm64"], platforms);
        foreach (var (manifest, architecture) in image.Manifests.Zip(platforms))
        {
            var config = layout.Json((string)layout.Json(manifest.Digest)["config"]!["digest"]!);
            Assert.Equal(architecture, (string?)config["architecture"]);
            Assert.Equal(layer.DiffId, (string?)config["rootfs"]!["diff_ids"]![0]);
            Assert.Equal([layer.Digest], layout.LayerDigests(manifest.Digest));
        }
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(workspace.Folder("multi"), "oci-layout"))),
            JsonNode.Parse("""{"imageLayoutVersion":"1.0.0"}""")));
    }
}
