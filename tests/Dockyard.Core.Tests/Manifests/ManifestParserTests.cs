using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Core.Tests.Manifests;

public sealed partial class ManifestParserTests
{
    private static readonly Digest ConfigDigest = Digest.Compute([1]);
    private static readonly Digest LayerDigest = Digest.Compute([2]);
    private static readonly Digest ChildDigest = Digest.Compute([3]);
    private static readonly Digest SubjectDigest = Digest.Compute([4]);

    private static string Config(string mediaType = "application/vnd.oci.image.config.v1+json") =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{ConfigDigest}}","size":7}""";

    private static string Layer(string mediaType = "application/vnd.oci.image.layer.v1.tar+gzip") =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{LayerDigest}}","size":1024}""";

    private static string ImageManifest(string? mediaType = MediaTypes.OciManifest, string? extra = null) =>
        "{\"schemaVersion\":2," + (mediaType is null ? "" : $"\"mediaType\":\"{mediaType}\",")
        + $"\"config\":{Config()},\"layers\":[{Layer()}]" + (extra is null ? "" : "," + extra) + "}";

    private static string Index(string? mediaType = MediaTypes.OciIndex, string? extra = null) =>
        "{\"schemaVersion\":2," + (mediaType is null ? "" : $"\"mediaType\":\"{mediaType}\",")
        + $$"""
            "manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{ChildDigest}}","size":500,
            "platform":{"os":"linux","architecture":"arm64","variant":"v8"} }]
            """ + (extra is null ? "" : "," + extra) + "}";

    private static ParsedManifest Parse(string json, string? contentType = null, string algorithm = Digest.Sha256) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType, algorithm);

    private static RegistryException Refused(string json, string? contentType = null) =>
        Assert.Throws<RegistryException>(() => Parse(json, contentType));

    [Fact]
    public void An_OCI_image_manifest_is_parsed()
    {
        var json = ImageManifest();

        var manifest = Parse(json, MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(Digest.Compute(Encoding.UTF8.GetBytes(json)), manifest.Digest);
        Assert.Equal(Encoding.UTF8.GetByteCount(json), manifest.Size);
        Assert.False(manifest.IsIndex);
        Assert.Equal(new Descriptor("application/vnd.oci.image.config.v1+json", ConfigDigest, 7, null, [], null) with { Urls = manifest.Config!.Urls },
            manifest.Config);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(LayerDigest, layer.Digest);
        Assert.Equal(1024, layer.Size);
        Assert.Empty(manifest.Manifests);
        Assert.Null(manifest.Subject);
        Assert.Null(manifest.Annotations);
    }

    [Fact]
    public void An_OCI_index_is_parsed_with_its_platforms()
    {
        var manifest = Parse(Index(), MediaTypes.OciIndex);

        Assert.Equal(MediaTypes.OciIndex, manifest.MediaType);
        Assert.True(manifest.IsIndex);
        Assert.Null(manifest.Config);
        Assert.Empty(manifest.Layers);
        var child = Assert.Single(manifest.Manifests);
        Assert.Equal(ChildDigest, child.Digest);
        Assert.Equal(new Platform("linux", "arm64", "v8"), child.Platform);
        Assert.Empty(manifest.RequiredBlobs);
        Assert.Null(manifest.EffectiveArtifactType);
    }

    [Fact]
    public void A_Docker_schema2_manifest_is_parsed()
    {
        var json = ImageManifest(MediaTypes.DockerManifest);

        var manifest = Parse(json, MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.NotNull(manifest.Config);
        Assert.Single(manifest.Layers);
    }

    [Fact]
    public void A_Docker_manifest_list_is_parsed()
    {
        var manifest = Parse(Index(MediaTypes.DockerManifestList), MediaTypes.DockerManifestList);

        Assert.Equal(MediaTypes.DockerManifestList, manifest.MediaType);
        Assert.True(manifest.IsIndex);
        Assert.Single(manifest.Manifests);
    }

    [Fact]
    public void Without_a_mediaType_field_the_Content_Type_decides()
    {
        Assert.Equal(MediaTypes.DockerManifest, Parse(ImageManifest(mediaType: null), MediaTypes.DockerManifest).MediaType);
        Assert.Equal(MediaTypes.DockerManifestList, Parse(Index(mediaType: null), MediaTypes.DockerManifestList).MediaType);
    }

    [Fact]
    public void Without_mediaType_or_Content_Type_the_shape_decides()
    {
        Assert.Equal(MediaTypes.OciManifest, Parse(ImageManifest(mediaType: null)).MediaType);
        Assert.Equal(MediaTypes.OciIndex, Parse(Index(mediaType: null), "").MediaType);
    }

    [Fact]
    public void Without_a_Content_Type_the_mediaType_field_decides() =>
        Assert.Equal(MediaTypes.DockerManifest, Parse(ImageManifest(MediaTypes.DockerManifest)).MediaType);

    [Fact]
    public void A_mediaType_that_contradicts_the_Content_Type_is_refused()
    {
        var error = Refused(ImageManifest(MediaTypes.OciManifest), MediaTypes.DockerManifest);

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("Content-Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_is_that_of_the_exact_bytes()
    {
        var json = "{ \"schemaVersion\" : 2,\n  \"config\": " + Config() + ",\r\n\t\"layers\": [ " + Layer() + " ] }   ";

        var manifest = Parse(json);

        Assert.Equal(Digest.Compute(Encoding.UTF8.GetBytes(json)), manifest.Digest);
        Assert.Equal(Encoding.UTF8.GetByteCount(json), manifest.Size);
    }

    [Fact]
    public void The_digest_algorithm_can_be_sha512()
    {
        var json = ImageManifest();

        var manifest = Parse(json, algorithm: Digest.Sha512);

        Assert.Equal(Digest.Compute(Encoding.UTF8.GetBytes(json), Digest.Sha512), manifest.Digest);
    }
}
