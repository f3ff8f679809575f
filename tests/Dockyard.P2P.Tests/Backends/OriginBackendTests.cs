using System.Net;
using System.Net.Http.Headers;
using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests.Backends;

/// <summary>
/// The registry as the origin on a shared backend (the derived class's <see cref="BackendSettings"/>): a seeded agent
/// and two more pulling a multi-piece blob at once get its exact bytes while the store serves less than the blob to
/// the two together, and the blob's pieces are refused to anyone without its token, at the peer as at the registry.
/// </summary>
public abstract class OriginBackendTests
{
    private const string Repository = "alice/app";
    // 1 MiB pieces ([p2p] piecesize): seven of them, the last a short one.
    private static readonly byte[] Layer = TestBlobs.Random((6 << 20) + 4321, seed: 61);

    /// <summary>The runtime.conf keys of the backend; null when its service is missing (the test is then skipped, or failed on CI).</summary>
    protected abstract Dictionary<string, string?>? BackendSettings { get; }

    /// <summary>The addresses the backend's own store holds as the blob's live announcements; null when the test does not look.</summary>
    protected virtual Task<IReadOnlyList<string>?> StoredAnnouncementsAsync(Digest blob) => Task.FromResult<IReadOnlyList<string>?>(null);

    /// <summary>Removes what the test left in the backend (its container, tables or objects).</summary>
    protected abstract Task CleanUpAsync(Digest blob);

    [Fact]
    public async Task Agents_pull_a_private_blob_from_each_other_while_the_origin_serves_less_than_it_and_its_pieces_need_its_token()
    {
        if (BackendSettings is not { } backend)
        {
            return;
        }
        var digest = Digest.Compute(Layer);
        try
        {
            await using var registry = await P2PRegistry.StartAsync(settings: new Dictionary<string, string?>(backend) { ["p2p:piecesize"] = "1024" });
            Assert.Equal(digest, await registry.PushBlobAsync(Repository, Layer));
            var seed = await StartAgentAsync(registry, "alice", P2PRegistry.AlicePassword);
            Assert.Equal(Layer, await TestBlobs.PullAsync(seed, Repository, digest));
            await registry.WaitForPeerAsync(Repository, digest, seed.PeerAddress);

            registry.Blobs.Reset();
            AgentHost[] pullers = [await StartAgentAsync(registry, "alice", P2PRegistry.AlicePassword), await StartAgentAsync(registry, "alice", P2PRegistry.AlicePassword)];
            var pulls = await Task.WhenAll(pullers.Select(a => TestBlobs.PullAsync(a, Repository, digest)));

            Assert.All(pulls, pulled => Assert.Equal(Layer, pulled));
            Assert.True(registry.Blobs.BytesRead < Layer.Length, $"the origin served {registry.Blobs.BytesRead} bytes of a {Layer.Length}-byte blob to two agents");
            Assert.True(pullers.Sum(a => a.Stats.BytesFromPeers) > Layer.Length, "the two agents took less than a blob from their peers");
            Assert.All(pullers.Append(seed), a => Assert.Equal(0, a.Stats.BadPieces));
            if (await StoredAnnouncementsAsync(digest) is { } stored)
            {
                // The tracker's state is the shared store's, not the registry process's.
                Assert.Subset(stored.ToHashSet(), pullers.Append(seed).Select(a => a.AdvertisedAddress).ToHashSet());
            }

            // alice/app is alice's and private: bob gets no token, and a peer gives no piece without one.
            using var bob = registry.ClientAs("bob", P2PRegistry.BobPassword);
            using (var refused = await bob.PostAsync($"/p2p/v1/{Repository}/blobs/{digest}/token", null))
            {
                Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"token for bob: {(int)refused.StatusCode}");
            }
            using var peer = new HttpClient { BaseAddress = new Uri($"http://{seed.PeerAddress}/") };
            foreach (var token in new[] { null, "not.a.token" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/p2p/v1/pieces/{digest}/0");
                request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
                using var piece = await peer.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, piece.StatusCode);
            }
            var bobsAgent = await StartAgentAsync(registry, "bob", P2PRegistry.BobPassword);
            using var pull = await new HttpClient { BaseAddress = bobsAgent.MirrorAddress }.GetAsync($"/v2/{Repository}/blobs/{digest}");
            Assert.True(pull.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"bob's pull: {(int)pull.StatusCode}");
            Assert.Equal(0, bobsAgent.Stats.BytesFromRegistry + bobsAgent.Stats.BytesFromPeers);
        }
        finally
        {
            await CleanUpAsync(digest);
        }
    }

    private static Task<AgentHost> StartAgentAsync(P2PRegistry registry, string user, string password) =>
        registry.StartAgentAsync(user, password, configure: o => o with { CacheBytes = 32L << 20, PeerWait = TimeSpan.FromSeconds(15) });
}
