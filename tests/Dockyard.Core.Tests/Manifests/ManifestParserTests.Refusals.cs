using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;

namespace Dockyard.Core.Tests.Manifests;

/// <summary>Everything the parser refuses, and why.</summary>
public sealed partial class ManifestParserTests
{
    [Fact]
    public void A_manifest_without_config_is_refused()
    {
        var json = $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","layers":[{{Layer()}}]}""";

        var error = Refused(json);

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("config", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"config":CONFIG}""")]
    [InlineData("""{"schemaVersion":2,"config":CONFIG,"layers":{}}""")]
    [InlineData("""{"schemaVersion":2,"config":CONFIG,"layers":[42]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}""")]
    [InlineData("""{"schemaVersion":2,"config":"not a descriptor","layers":[]}""")]
    public void Missing_or_malformed_descriptor_lists_are_refused(string template) =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(template.Replace("CONFIG", Config(), StringComparison.Ordinal)).Code);

    [Theory]
    [InlineData("\"sha256:abc\"")]
    [InlineData("\"SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"")]
    [InlineData("\"sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"")]
    [InlineData("\"md5:d41d8cd98f00b204e9800998ecf8427e\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_layer_with_a_bad_digest_is_refused(string digest)
    {
        var layer = $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":{{digest}},"size":1}""";
        var json = $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{{layer}}]}""";

        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(json).Code);
    }

    [Theory]
    [InlineData(",\"size\":-1")]
    [InlineData(",\"size\":\"10\"")]
    [InlineData(",\"size\":1.5")]
    [InlineData(",\"size\":99999999999999999999")]
    [InlineData("")]
    public void A_config_with_a_bad_size_is_refused(string size)
    {
        var config = $$"""{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{ConfigDigest}}"{{size}}}""";
        var json = $$"""{"schemaVersion":2,"config":{{config}},"layers":[]}""";

        var error = Refused(json);

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_without_mediaType_is_refused()
    {
        var json = $$"""{"schemaVersion":2,"config":{"digest":"{{ConfigDigest}}","size":7},"layers":[]}""";

        Assert.Contains("mediaType", Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_schema1_is_refused_by_version_and_by_Content_Type()
    {
        const string schema1 = """{"schemaVersion":1,"name":"a","tag":"b","fsLayers":[],"history":[],"signatures":[]}""";

        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(schema1).Code);
        Assert.Contains("schema 1", Refused(schema1, MediaTypes.DockerSchema1Signed).Message, StringComparison.Ordinal);
        Assert.Contains("schema 1", Refused(ImageManifest(mediaType: null), MediaTypes.DockerSchema1).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"config":{},"layers":[]}""")]
    [InlineData("""{"schemaVersion":"2"}""")]
    [InlineData("""{"schemaVersion":3,"layers":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    [InlineData("""not json""")]
    [InlineData("")]
    [InlineData("""{"schemaVersion":2,"config":""")]
    public void Documents_that_are_no_schema2_object_are_refused(string json) =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(json).Code);

    [Theory]
    [InlineData("application/xml")]
    [InlineData("application/vnd.oci.image.config.v1+json")]
    [InlineData("application/vnd.oci.artifact.manifest.v1+json")]
    [InlineData("text/plain")]
    public void Unknown_manifest_media_types_are_refused(string mediaType)
    {
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(ImageManifest(mediaType)).Code);
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(ImageManifest(mediaType: null), mediaType).Code);
    }

    [Fact]
    public void Manifests_over_4_MiB_are_too_large_and_4_MiB_exactly_is_accepted()
    {
        var json = ImageManifest();
        var padded = json + new string(' ', ManifestParser.MaxManifestBytes - json.Length);

        Assert.Equal(ManifestParser.MaxManifestBytes, Parse(padded).Size);
        Assert.Equal(RegistryErrorCode.ManifestTooLarge, Refused(padded + " ").Code);
    }

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""{"a":null}""")]
    [InlineData("""["a"]""")]
    [InlineData("\"a\"")]
    public void Annotations_must_be_an_object_of_strings(string annotations) =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(ImageManifest(extra: $"\"annotations\":{annotations}")).Code);

    [Fact]
    public void A_non_string_artifactType_is_refused() =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(ImageManifest(extra: "\"artifactType\":42")).Code);

    [Fact]
    public void Refusals_are_not_parsed_from_invalid_utf8()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"x\":\""), 0xff, .. Encoding.UTF8.GetBytes("\"}")];

        Assert.Equal(RegistryErrorCode.ManifestInvalid, Assert.Throws<RegistryException>(() => ManifestParser.Parse(body, null)).Code);
    }
}
