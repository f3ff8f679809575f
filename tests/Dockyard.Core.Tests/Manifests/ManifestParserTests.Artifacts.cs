using Dockyard.Core.Manifests;

namespace Dockyard.Core.Tests.Manifests;

/// <summary>OCI 1.1 fields: subject, artifactType, annotations, and what the referrers API reports.</summary>
public sealed partial class ManifestParserTests
{
    private static string Subject() =>
        $$"""
        "subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{SubjectDigest}}","size":321}
        """;

    [Fact]
    public void Subject_artifactType_and_annotations_are_read()
    {
        var json = ImageManifest(extra: Subject() + """
            ,"artifactType":"application/vnd.example.sbom","annotations":{"org.example.a":"1","org.example.b":""}
            """);

        var manifest = Parse(json);

        Assert.NotNull(manifest.Subject);
        Assert.Equal(SubjectDigest, manifest.Subject.Digest);
        Assert.Equal(321, manifest.Subject.Size);
        Assert.Equal("application/vnd.example.sbom", manifest.ArtifactType);
        Assert.Equal("application/vnd.example.sbom", manifest.EffectiveArtifactType);
        Assert.Equal(new Dictionary<string, string> { ["org.example.a"] = "1", ["org.example.b"] = "" }, manifest.Annotations);
    }

    [Fact]
    public void EffectiveArtifactType_falls_back_to_the_config_media_type()
    {
        var manifest = Parse(ImageManifest(extra: Subject()));

        Assert.Null(manifest.ArtifactType);
        Assert.Equal("application/vnd.oci.image.config.v1+json", manifest.EffectiveArtifactType);
    }

    [Fact]
    public void An_index_reports_its_own_artifactType_and_subject()
    {
        var manifest = Parse(Index(extra: Subject() + ",\"artifactType\":\"application/vnd.example.bundle\""));

        Assert.Equal(SubjectDigest, manifest.Subject!.Digest);
        Assert.Equal("application/vnd.example.bundle", manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Null_optional_fields_read_as_absent()
    {
        var manifest = Parse(ImageManifest(extra: "\"subject\":null,\"artifactType\":null,\"annotations\":null"));

        Assert.Null(manifest.Subject);
        Assert.Null(manifest.ArtifactType);
        Assert.Null(manifest.Annotations);
    }

    [Fact]
    public void A_subject_with_a_bad_digest_is_refused()
    {
        var json = ImageManifest(extra: $$"""
            "subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"sha256:nope","size":1}
            """);

        Assert.Equal(Dockyard.Core.Errors.RegistryErrorCode.ManifestInvalid, Refused(json).Code);
    }

    [Fact]
    public void Foreign_layers_with_urls_are_not_required_blobs()
    {
        var foreign = $$"""
            {"mediaType":"{{MediaTypes.DockerForeignLayer}}","digest":"{{ChildDigest}}","size":9,"urls":["https://example.com/layer"]}
            """;
        var json = $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{{Layer()}},{{foreign}}]}""";

        var manifest = Parse(json);

        Assert.Equal(["https://example.com/layer"], manifest.Layers[1].Urls);
        Assert.Equal([ConfigDigest, LayerDigest], manifest.RequiredBlobs.Select(d => d.Digest));
    }

    [Fact]
    public void Descriptor_annotations_and_artifactType_are_read()
    {
        var layer = $$"""
            {"mediaType":"application/vnd.example.data","digest":"{{LayerDigest}}","size":1,"artifactType":"x/y",
            "annotations":{"org.opencontainers.image.title":"file.txt"} }
            """;
        var json = $$"""{"schemaVersion":2,"config":{{Config(MediaTypes.OciEmpty)}},"layers":[{{layer}}]}""";

        var manifest = Parse(json);

        Assert.Equal("x/y", manifest.Layers[0].ArtifactType);
        Assert.Equal("file.txt", manifest.Layers[0].Annotations!["org.opencontainers.image.title"]);
        Assert.Equal(MediaTypes.OciEmpty, manifest.EffectiveArtifactType);
    }
}
