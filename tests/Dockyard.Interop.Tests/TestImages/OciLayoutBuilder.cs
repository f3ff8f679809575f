namespace Dockyard.Interop.Tests.TestImages;

/// <summary>What a layout holds under its tag: the tagged manifest (or index) and every blob it reaches.</summary>
public sealed record OciImage(string Tag, OciBlob Root, string LayerDigest, IReadOnlyList<OciBlob> Manifests, IReadOnlyList<OciBlob> Configs);

/// <summary>
/// Writes OCI image layout directories (oci-layout, index.json, blobs/sha256/...) of a runnable busybox image, for
/// clients such as <c>skopeo copy oci:DIR:TAG ...</c> to push.
/// </summary>
public static class OciLayoutBuilder
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>A single-platform linux/amd64 busybox image whose default command is <c>sh</c>.</summary>
    public static OciImage WriteBusybox(string directory, BusyboxLayer layer, string tag = "latest")
    {
        var config = Config(layer, "amd64");
        var manifest = Manifest(config, layer);
        Write(directory, tag, manifest, [new(OciBlob.LayerType, layer.Compressed), config, manifest]);
        return new OciImage(tag, manifest, layer.Digest, [manifest], [config]);
    }

    /// <summary>
    /// An image index of linux/amd64 (runnable) and linux/arm64 (the same layer, another config: it only has to be
    /// pulled, not run).
    /// </summary>
    public static OciImage WriteMultiArch(string directory, BusyboxLayer layer, string tag = "multi")
    {
        var amd64Config = Config(layer, "amd64");
        var arm64Config = Config(layer, "arm64", variant: "v8");
        var amd64 = Manifest(amd64Config, layer);
        var arm64 = Manifest(arm64Config, layer);
        var index = OciBlob.Json(OciBlob.IndexType, new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciBlob.IndexType,
            ["manifests"] = new[]
            {
                amd64.Descriptor(new Dictionary<string, string> { ["architecture"] = "amd64", ["os"] = "linux" }),
                arm64.Descriptor(new Dictionary<string, string> { ["architecture"] = "arm64", ["os"] = "linux", ["variant"] = "v8" }),
            },
        });
        Write(directory, tag, index, [new(OciBlob.LayerType, layer.Compressed), amd64Config, arm64Config, amd64, arm64, index]);
        return new OciImage(tag, index, layer.Digest, [amd64, arm64], [amd64Config, arm64Config]);
    }

    private static OciBlob Config(BusyboxLayer layer, string architecture, string? variant = null)
    {
        var config = new Dictionary<string, object>
        {
            ["created"] = "1970-01-01T00:00:00Z",
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new Dictionary<string, object> { ["Env"] = new[] { "PATH=/bin" }, ["Cmd"] = new[] { "/bin/sh" } },
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = new[] { layer.DiffId } },
            ["history"] = new[] { new Dictionary<string, object> { ["created"] = "1970-01-01T00:00:00Z", ["created_by"] = "Dockyard interop tests" } },
        };
        if (variant is not null)
        {
            config["variant"] = variant;
        }
        return OciBlob.Json(OciBlob.ConfigType, config);
    }

    private static OciBlob Manifest(OciBlob config, BusyboxLayer layer) => OciBlob.Json(OciBlob.ManifestType, new Dictionary<string, object>
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = OciBlob.ManifestType,
        ["config"] = config.Descriptor(),
        ["layers"] = new[] { new OciBlob(OciBlob.LayerType, layer.Compressed).Descriptor() },
    });

    /// <summary>Writes a layout holding <paramref name="blobs"/> whose index tags <paramref name="root"/> as <paramref name="tag"/>.</summary>
    public static void Write(string directory, string tag, OciBlob root, IEnumerable<OciBlob> blobs)
    {
        var blobDirectory = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobDirectory);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        foreach (var blob in blobs)
        {
            File.WriteAllBytes(Path.Combine(blobDirectory, blob.Digest["sha256:".Length..]), blob.Content);
        }
        var index = OciBlob.Json(OciBlob.IndexType, new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciBlob.IndexType,
            ["manifests"] = new[] { root.Descriptor(annotations: new Dictionary<string, string> { [RefNameAnnotation] = tag }) },
        });
        File.WriteAllBytes(Path.Combine(directory, "index.json"), index.Content);
    }
}
