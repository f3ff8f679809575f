using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The registry is the source of last resort: with the tracker's store down the P2P routes answer 503 and agents pull
/// from the registry; bad input to the routes is a 4xx with the spec's error body, never a 500.
/// </summary>
public sealed class FallbackTests
{
    private static readonly byte[] Layer = TestBlobs.Random(BlobPieces.DefaultPieceSize + 4321, seed: 5);

    [Fact]
    public async Task With_the_tracker_down_the_agent_pulls_from_the_registry()
    {
        await using var registry = await P2PRegistry.StartAsync(s => s.AddSingleton<IPeerDistributionStore, DownStore>());
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        using var pieces = await alice.GetAsync($"/p2p/v1/alice/app/blobs/{digest}/pieces");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pieces.StatusCode);
        Assert.True(pieces.Headers.RetryAfter is not null);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);

        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));

        Assert.Equal(Layer.Length, agent.Stats.BytesFromRegistry);
        Assert.Equal(0, agent.Stats.BytesFromPeers);
    }

    [Fact]
    public async Task Piece_hashes_are_the_registrys_and_bad_input_is_a_4xx_error()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);

        using (var body = JsonDocument.Parse(await alice.GetStringAsync($"/p2p/v1/alice/app/blobs/{digest}/pieces")))
        {
            var hashes = body.RootElement.GetProperty("pieces").EnumerateArray().Select(h => h.GetString()).ToList();
            Assert.Equal(Layer.Length, body.RootElement.GetProperty("size").GetInt64());
            Assert.Equal([Digest.Compute(Layer.AsSpan(0, BlobPieces.DefaultPieceSize)).Hex, Digest.Compute(Layer.AsSpan(BlobPieces.DefaultPieceSize)).Hex], hashes);
        }
        await AssertErrorAsync(await alice.GetAsync($"/p2p/v1/alice/app/blobs/{Digest.Compute([7])}/pieces"), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await AssertErrorAsync(await alice.GetAsync("/p2p/v1/alice/app/blobs/sha256:nothex/pieces"), HttpStatusCode.BadRequest, "DIGEST_INVALID");
        var peers = $"/p2p/v1/alice/app/blobs/{digest}/peers";
        await AssertErrorAsync(await alice.PostAsync(peers, new StringContent("not json")), HttpStatusCode.BadRequest, null);
        await AssertErrorAsync(await alice.PostAsJsonAsync(peers, new { agent = "bad id!", address = "10.0.0.1:5051", ttl = 60 }), HttpStatusCode.BadRequest, null);
        await AssertErrorAsync(await alice.PostAsJsonAsync(peers, new { agent = "a1", address = "no-port", ttl = 60 }), HttpStatusCode.BadRequest, null);
        await AssertErrorAsync(await alice.PostAsJsonAsync(peers, new { agent = "a1", address = "10.0.0.1:5051", ttl = 86_400 }), HttpStatusCode.BadRequest, null);
        await AssertErrorAsync(await alice.GetAsync(peers + "?agent=bad%20id"), HttpStatusCode.BadRequest, null);
    }

    [Fact]
    public async Task The_agent_is_pull_only_and_answers_what_it_cannot_serve_with_spec_errors()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        using var mirror = new HttpClient { BaseAddress = agent.MirrorAddress };
        using var peer = new HttpClient { BaseAddress = new Uri($"http://{agent.PeerAddress}/") };

        await AssertErrorAsync(await mirror.PostAsync("/v2/alice/app/blobs/uploads/", null), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await AssertErrorAsync(await mirror.GetAsync("/v2/alice/app/tags/list"), HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await AssertErrorAsync(await mirror.GetAsync("/v2/alice/app/blobs/sha256:nothex"), HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await AssertErrorAsync(await mirror.GetAsync($"/v2/alice/app/blobs/{Digest.Compute([8])}"), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await AssertErrorAsync(await mirror.GetAsync("/v2/alice/app/manifests/missing"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await AssertErrorAsync(await peer.GetAsync("/p2p/v1/pieces/sha256:nothex/0"), HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var error = body.RootElement.GetProperty("errors")[0];
            if (code is not null)
            {
                Assert.Equal(code, error.GetProperty("code").GetString());
            }
        }
    }

    /// <summary>The tracker's store with its backend down: every call a transient failure.</summary>
    private sealed class DownStore : IPeerDistributionStore
    {
        private static Exception Down => new StorageUnavailableException("the metadata store is down (test)");

        public Task AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken) => throw Down;

        public Task<IReadOnlyList<PeerAnnouncement>> ListLiveAsync(Digest blob, DateTimeOffset now, int limit, CancellationToken cancellationToken) => throw Down;

        public Task<int> DeleteExpiredAsync(Digest blob, DateTimeOffset now, CancellationToken cancellationToken) => throw Down;

        public Task<BlobPieces?> GetPiecesAsync(Digest blob, int pieceSize, CancellationToken cancellationToken) => throw Down;

        public Task PutPiecesAsync(BlobPieces pieces, CancellationToken cancellationToken) => throw Down;
    }
}
