using System.Net;
using Dockyard.Core.Names;
using Dockyard.Launcher.Registry;
using Dockyard.Launcher.Volumes;

namespace Dockyard.Launcher.Tests.Volumes;

/// <summary>
/// A volume's index is pushed by whoever may push the repository and read by every host that mounts it: the chunk
/// sizes it names must not make a reader allocate what they say. A chunk larger than any profile cuts, stored alone
/// or in a pack, is refused before a byte is asked of the registry.
/// </summary>
public sealed class HostileVolumeIndexTests
{
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_chunk_larger_than_any_profile_cuts_is_refused_before_any_request(bool inPack)
    {
        var handler = new RecordingHandler();
        using var client = new RegistryClient(new Uri("http://127.0.0.1:9"), null, handler);
        var registry = new VolumeRegistry(client, RepositoryName.Parse("team/data"));
        var size = int.MaxValue - 64;
        var chunk = inPack ? new ChunkRef(Digest, size, Pack: 0, Offset: 0) : new ChunkRef(Digest, size);
        var entry = new VolumeEntry("big", VolumeEntry.File, 0b110_100_100, size, 0, null, [chunk]);
        var index = new VolumeIndex([entry], Packs: inPack ? [new PackRef(Digest, (long)size + 1)] : null);

        var error = await Assert.ThrowsAsync<LaunchException>(() => ChunkDownloads.WriteAsync(registry, index, entry, null, Stream.Null, CancellationToken.None));

        Assert.Equal(LaunchFailure.Registry, error.Failure);
        Assert.Contains("invalid chunk", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public void The_largest_chunk_an_index_may_name_is_the_largest_a_profile_cuts()
    {
        Assert.Equal(ChunkingProfile.Legacy.Max, ChunkDownloads.MaxChunk);
        Assert.True(ChunkDownloads.MaxChunk >= ChunkingProfile.Small.Max);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
