using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;

namespace Dockyard.Core.Tests.Manifests;

public sealed partial class ManifestParserTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    public void A_generic_content_type_defers_to_the_body_media_type(string contentType)
    {
        Assert.Equal(MediaTypes.DockerManifest, Parse(ImageManifest(MediaTypes.DockerManifest), contentType).MediaType);
        Assert.Equal(MediaTypes.OciIndex, Parse(Index(MediaTypes.OciIndex), contentType).MediaType);
    }

    [Fact]
    public void A_specific_content_type_that_contradicts_the_body_is_refused() =>
        Assert.Equal(RegistryErrorCode.ManifestInvalid, Refused(ImageManifest(MediaTypes.DockerManifest), MediaTypes.OciManifest).Code);
}
