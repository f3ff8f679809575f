using System.Text;

namespace Dockyard.Bench.Scale;

/// <summary>Bytes and their digest.</summary>
internal sealed record Blob(Digest Digest, byte[] Bytes)
{
    public static Blob Of(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new Blob(Digest.Compute(bytes), bytes);
    }
}

/// <summary>One image manifest of a repository, with the tag it is pushed under (null: pushed by digest, untagged).</summary>
internal sealed record PlannedManifest(Blob Manifest, string? Tag);

/// <summary>Everything one repository holds: its images (one config, one shared layer) and the blobs linked but referenced by nothing.</summary>
internal sealed record PlannedRepository(RepositoryName Name, Blob Config, Blob Layer, IReadOnlyList<PlannedManifest> Manifests, IReadOnlyList<Blob> StaleLinks);

/// <summary>
/// The registry bench/scale.sh measures, fully determined by the number of manifests N:
/// <list type="bullet">
/// <item>N / 10 repositories <c>scale/r0000000</c> …, each with about 10 OCI image manifests tagged <c>v0</c>, <c>v1</c> …;
/// all of a repository's manifests share its config, and every 10 repositories share a layer (small blobs);</item>
/// <item>garbage: in every 5th repository the last manifest is pushed untagged (2 % of the manifests); every 10th
/// repository links one blob nothing refers to; N / 100 blobs are stored but linked nowhere.</item>
/// </list>
/// About 1.13 N blobs in all. Tags <c>v0</c> … <c>v8</c> exist in every repository (the wrk script relies on it).
/// </summary>
internal sealed class ScalePlan(int manifests)
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public int Manifests => manifests;

    public int Repositories => Math.Max(1, manifests / 10);

    public int Orphans => manifests / 100;

    public static RepositoryName RepositoryAt(int index) => RepositoryName.Parse($"scale/r{index:D7}");

    public PlannedRepository Repository(int index)
    {
        var name = RepositoryAt(index);
        var count = manifests / Repositories + (index < manifests % Repositories ? 1 : 0);
        var layer = Layer(index / 10);
        var config = Blob.Of($$$"""{"architecture":"amd64","os":"linux","config":{"Labels":{"repository":"{{{name}}}"}},"rootfs":{"type":"layers","diff_ids":["{{{layer.Digest}}}"]}}""");
        var images = new List<PlannedManifest>(count);
        for (var i = 0; i < count; i++)
        {
            var tagged = !(index % 5 == 0 && i == count - 1 && count > 1);
            images.Add(new PlannedManifest(Manifest(name, i, config, layer), tagged ? $"v{i}" : null));
        }
        IReadOnlyList<Blob> stale = index % 10 == 1 ? [Blob.Of($"stale link of {name}\n")] : [];
        return new PlannedRepository(name, config, layer, images, stale);
    }

    public static Blob Orphan(int index) => Blob.Of($"orphan blob {index}\n");

    // 1 KiB of text, unique per index: as small as a layer gets, but not empty.
    private static Blob Layer(int index) =>
        Blob.Of(string.Concat(Enumerable.Repeat($"layer {index:D7} ", 1024 / 14)).PadRight(1024, '.'));

    private static Blob Manifest(RepositoryName repository, int number, Blob config, Blob layer) => Blob.Of($$$"""
        {"schemaVersion":2,"mediaType":"{{{ManifestMediaType}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{config.Digest}}}","size":{{{config.Bytes.Length}}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{layer.Digest}}}","size":{{{layer.Bytes.Length}}}}],"annotations":{"org.opencontainers.image.ref.name":"v{{{number}}}","org.opencontainers.image.source":"{{{repository}}}"}}
        """);
}
