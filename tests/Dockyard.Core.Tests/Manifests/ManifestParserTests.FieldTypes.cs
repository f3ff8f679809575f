using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;

namespace Dockyard.Core.Tests.Manifests;

/// <summary>Strings that do not decode and fields of the wrong JSON type are MANIFEST_INVALID, never a server fault.</summary>
public sealed partial class ManifestParserTests
{
    private const string Bad = "@BAD@";

    /// <summary>Manifests with <see cref="Bad"/> where a string's content goes.</summary>
    public static TheoryData<string> ManifestsWithABadString() => new()
    {
        ImageManifest(mediaType: null, extra: $"\"mediaType\":\"application/{Bad}\""),
        ImageManifest(extra: $"\"annotations\":{{\"a\":\"{Bad}\"}}"),
        ImageManifest(extra: $"\"annotations\":{{\"{Bad}\":\"a\"}}"),
        ImageManifest(extra: $"\"artifactType\":\"{Bad}\""),
        $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{"mediaType":"x/{{Bad}}","digest":"{{LayerDigest}}","size":1}]}""",
        $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{"mediaType":"x","digest":"{{LayerDigest}}","size":1,"urls":["{{Bad}}"]}]}""",
        Index().Replace("\"linux\"", $"\"{Bad}\"", StringComparison.Ordinal),
    };

    [Theory]
    [MemberData(nameof(ManifestsWithABadString))]
    public void Invalid_utf8_in_any_string_is_refused(string template)
    {
        var parts = template.Split(Bad);
        byte[] body = [.. Encoding.UTF8.GetBytes(parts[0]), 0xff, 0xfe, .. Encoding.UTF8.GetBytes(parts[1])];

        var error = Assert.Throws<RegistryException>(() => ManifestParser.Parse(body, null));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ManifestsWithABadString))]
    public void An_unpaired_surrogate_escape_in_any_string_is_refused(string template) =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(template.Replace(Bad, "\\ud800", StringComparison.Ordinal)).Code);

    [Theory]
    [InlineData("\"urls\":[1]", "urls")]
    [InlineData("\"urls\":[\"https://example.com\",null]", "urls")]
    [InlineData("\"urls\":[[]]", "urls")]
    [InlineData("\"urls\":\"https://example.com\"", "urls")]
    [InlineData("\"urls\":{}", "urls")]
    [InlineData("\"artifactType\":[]", "artifactType")]
    [InlineData("\"annotations\":{\"a\":1}", "annotation")]
    [InlineData("\"platform\":\"linux\"", "platform")]
    [InlineData("\"platform\":[]", "platform")]
    [InlineData("\"platform\":{\"os\":1}", "os")]
    [InlineData("\"platform\":{\"architecture\":{}}", "architecture")]
    [InlineData("\"platform\":{\"os\":\"linux\",\"variant\":true}", "variant")]
    public void A_descriptor_field_of_the_wrong_type_is_refused(string field, string named)
    {
        var layer = $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{LayerDigest}}","size":1,{{field}}}""";
        var child = $$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{ChildDigest}}","size":1,{{field}}}""";
        var subject = $$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{SubjectDigest}}","size":1,{{field}}}""";

        foreach (var json in new[]
        {
            $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{{layer}}]}""",
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{child}}]}""",
            ImageManifest(extra: $"\"subject\":{subject}"),
        })
        {
            var error = Refused(json);
            Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":7,"config":CONFIG,"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":CONFIG,"layers":[],"subject":"sha256:abc"}""")]
    [InlineData("""{"schemaVersion":2,"config":CONFIG,"layers":[],"subject":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":[],"layers":[]}""")]
    public void A_top_level_field_of_the_wrong_type_is_refused(string template) =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(template.Replace("CONFIG", Config(), StringComparison.Ordinal)).Code);
}
