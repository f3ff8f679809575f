using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.Tests.Names;

public sealed class ManifestReferenceTests
{
    [Fact]
    public void A_digest_reference_has_a_digest_and_no_tag()
    {
        var digest = Digest.Compute([1]);

        var reference = ManifestReference.Parse(digest.Value);

        Assert.Equal(digest, reference.Digest);
        Assert.Null(reference.Tag);
        Assert.Equal(digest.Value, reference.ToString());
    }

    [Fact]
    public void A_tag_reference_has_a_tag_and_no_digest()
    {
        var reference = ManifestReference.Parse("v1.2.3");

        Assert.Null(reference.Digest);
        Assert.Equal("v1.2.3", reference.Tag);
        Assert.Equal("v1.2.3", reference.ToString());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha1:0000000000000000000000000000000000000000")]
    [InlineData("latest:tag")]
    public void Text_with_a_colon_that_is_no_supported_digest_is_DigestInvalid(string text) =>
        Assert.Equal(RegistryErrorCode.DigestInvalid, Assert.Throws<RegistryException>(() => ManifestReference.Parse(text)).Code);

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-x")]
    [InlineData("a/b")]
    public void An_invalid_tag_is_ManifestInvalid(string text) =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Assert.Throws<RegistryException>(() => ManifestReference.Parse(text)).Code);

    [Fact]
    public void The_longest_tag_is_accepted_and_one_more_is_not()
    {
        Assert.Equal(new string('t', 128), ManifestReference.Parse(new string('t', 128)).Tag);
        Assert.Throws<RegistryException>(() => ManifestReference.Parse(new string('t', 129)));
    }
}
