using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;

namespace Dockyard.Core.Tests.Manifests;

/// <summary>
/// Manifests that two parsers would read differently. Go's encoding/json (docker, containerd, skopeo, cosign) takes the
/// last of duplicate keys and matches a struct's fields case-insensitively under Unicode folding ("Layers", "layerſ");
/// what the registry checks (the referenced blobs, the signing policy's exemption of signatures, the quota) must be what
/// those clients pull, so such manifests are refused.
/// </summary>
public sealed partial class ManifestParserTests
{
    private const string CosignPayloadLayer =
        """{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}""";

    public static TheoryData<string> AmbiguousKeys => new()
    {
        { $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Config()}},"layers":[{{CosignPayloadLayer}}],"layers":[{{Layer()}}]}""" },
        { $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Config()}},"layers":[{{CosignPayloadLayer}}],"Layers":[{{Layer()}}]}""" },
        { $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Config()}},"LAYERS":[{{Layer()}}],"layers":[{{CosignPayloadLayer}}]}""" },
        { $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Config()}},"layers":[{{CosignPayloadLayer}}],"layer\u017f":[{{Layer()}}]}""" },
        { $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","mediaType":"{{MediaTypes.OciIndex}}","config":{{Config()}},"layers":[]}""" },
        { $$"""{"schemaVersion":2,"MediaType":"{{MediaTypes.OciIndex}}","mediaType":"{{MediaTypes.OciManifest}}","config":{{Config()}},"layers":[]}""" },
        { $$"""{"schemaVersion":2,"schemaVersion":2,"config":{{Config()}},"layers":[]}""" },
        { $$"""{"schemaVersion":2,"config":{{Config()}},"Config":{{Config("application/vnd.oci.image.layer.v1.tar")}},"layers":[]}""" },
        { $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{LayerDigest}}","Digest":"{{ConfigDigest}}","size":1024}]}""" },
        { $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{LayerDigest}}","size":1024,"\u017fize":1}]}""" },
        { $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[],"subject":{{Layer()}},"Subject":{{Config()}}}""" },
        { $$$"""{"schemaVersion":2,"config":{{{Config()}}},"layers":[],"annotations":{"a":"1","a":"2"}}""" },
        { $$$"""{"schemaVersion":2,"config":{{{Config()}}},"layers":[],"Annotations":{"a":"1"}}""" },
        { $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{ChildDigest}}}","size":5,"platform":{"os":"linux","OS":"windows"}}]}""" },
        { """{"schemaVersion":2,"Manifests":[],"manifests":[]}""" },
        { """{"schemaVersion":2,"manifests":[],"annotat\u0131ons":{}}""" },
        { $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{ChildDigest}}}","size":5,"platform":{"os":"linux","os.vers\u0130on":"1"}}]}""" },
    };

    [Theory]
    [MemberData(nameof(AmbiguousKeys))]
    public void Keys_that_clients_would_read_otherwise_are_refused(string json)
    {
        var error = Refused(json);

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_collector_still_reads_what_was_stored_before_keys_were_checked()
    {
        var json = $$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{{Layer()}}],"Layers":[]}""";

        var manifest = ManifestParser.Parse(Encoding.UTF8.GetBytes(json), null, anyKeys: true);

        Assert.Equal(LayerDigest, Assert.Single(manifest.Layers).Digest);
    }

    [Fact]
    public void Unknown_keys_and_annotation_keys_that_differ_only_by_case_are_kept()
    {
        var manifest = Parse(ImageManifest(extra: "\"x-note\":\"a\",\"X-NOTE\":\"b\",\"annotations\":{\"org.example\":\"1\",\"ORG.example\":\"2\"}"));

        Assert.Equal("2", manifest.Annotations!["ORG.example"]);
        Assert.Equal("1", manifest.Annotations["org.example"]);
    }

    [Theory]
    [InlineData("\u00ef\u00bb\u00bf")]
    [InlineData(" \u00ef\u00bb\u00bf")]
    public void A_byte_order_mark_is_refused(string prefix)
    {
        byte[] body = [.. Encoding.Latin1.GetBytes(prefix), .. Encoding.UTF8.GetBytes(ImageManifest())];

        Assert.Equal(RegistryErrorCode.ManifestInvalid, Assert.Throws<RegistryException>(() => ManifestParser.Parse(body, null)).Code);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("1024e0")]
    [InlineData("1024.0")]
    public void Sizes_that_are_not_plain_integers_are_refused(string size)
    {
        var layer = $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{LayerDigest}}","size":{{size}}}""";

        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused($$"""{"schemaVersion":2,"config":{{Config()}},"layers":[{{layer}}]}""").Code);
    }

    [Fact]
    public void Nesting_past_the_parser_depth_is_refused()
    {
        var deep = new string('[', 100) + new string(']', 100);

        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(ImageManifest(extra: $"\"x\":{deep}")).Code);
    }
}
