using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;

namespace Dockyard.Core.Tests.Volumes;

/// <summary>
/// The volume commit guard reads the manifest as parsed, never its bytes, and costs other manifests nothing: its lease
/// store here refuses every call (501), so a guard that touched it for an ordinary manifest would throw.
/// </summary>
public sealed class VolumeCommitGuardTests
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/vol");
    private readonly VolumeLeaseService guard = new(new UnavailableVolumeLeaseStore(), TimeProvider.System);

    [Theory]
    [InlineData(null)]
    [InlineData("application/vnd.example.other")]
    [InlineData("application/vnd.dockyard.volume.v1+json")]
    public async Task Other_manifests_pass_both_looks_without_a_store_round_trip(string? artifactType)
    {
        var commit = Commit(Manifest(artifactType is null ? "" : $",\"artifactType\":\"{artifactType}\""), null);

        await guard.CheckAsync(commit, CancellationToken.None);
        await guard.ConfirmAsync(commit, CancellationToken.None);

        Assert.NotEqual(VolumeArtifact.ArtifactType, commit.Manifest.ArtifactType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1x")]
    public async Task A_JSON_escaped_volume_artifactType_is_fenced_like_the_plain_one(string? token)
    {
        // "\/" and "\u0076" decode to "/" and "v": a byte search for the artifactType would miss this manifest.
        var commit = Commit(Manifest(",\"artifactType\":\"application\\/\\u0076nd.dockyard.volume.v1\""), token);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => guard.CheckAsync(commit, CancellationToken.None));

        Assert.Equal(RegistryErrorCode.Conflict, refused.Code);
        Assert.Contains(VolumeArtifact.FencingTokenHeader, refused.Message);
    }

    [Fact]
    public async Task A_well_formed_token_of_a_volume_version_asks_the_lease_store()
    {
        var commit = Commit(Manifest($",\"artifactType\":\"{VolumeArtifact.ArtifactType}\""), "7");

        var refused = await Assert.ThrowsAsync<RegistryException>(() => guard.CheckAsync(commit, CancellationToken.None));

        Assert.Equal(RegistryErrorCode.NotImplemented, refused.Code);
    }

    private static string Manifest(string extra) =>
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
        "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}," +
        "\"layers\":[]" + extra + "}";

    private static ManifestCommit Commit(string json, string? token) =>
        new(Repository, new ManifestReference(null, "latest"), ManifestParser.Parse(Encoding.UTF8.GetBytes(json), MediaTypes.OciManifest), token);
}
