using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

/// <summary>
/// An agent's peer endpoint beyond single pieces: the bitfield of what it holds (only for a valid blob token), and its
/// upload slots (a request past them answered "busy" at once, served again once a slot is free; a peer that stops
/// reading is cut off at the peer timeout, so it cannot keep a slot).
/// </summary>
public sealed class PeerEndpointTests
{
    [Fact]
    public async Task The_bitfield_names_the_pieces_held_and_only_for_a_token_of_that_blob()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var layer = TestBlobs.Random(9 * BlobPieces.DefaultPieceSize + 5, seed: 41);
        var digest = await registry.PushBlobAsync("alice/app", layer);
        var other = await registry.PushBlobAsync("alice/app", TestBlobs.Random(100, seed: 42));
        var holder = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword, configure: o => o with { CacheBytes = 128L << 20 });
        Assert.Equal(layer, await TestBlobs.PullAsync(holder, "alice/app", digest));
        using var peer = new HttpClient { BaseAddress = new Uri($"http://{holder.PeerAddress}/") };

        using (var anonymous = await peer.GetAsync($"/p2p/v1/pieces/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var wrongBlob = await BitfieldRequestAsync(peer, digest, await TokenAsync(registry, other)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongBlob.StatusCode);
        }
        using var answer = await BitfieldRequestAsync(peer, digest, await TokenAsync(registry, digest));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var held = PieceBitfield.Decode(body.RootElement.GetProperty("held").GetString(), 10);
        var fetching = PieceBitfield.Decode(body.RootElement.GetProperty("fetching").GetString(), 10);
        Assert.Equal(Enumerable.Repeat(true, 10), held!);
        Assert.Equal(Enumerable.Repeat(false, 10), fetching!);
    }

    [Fact]
    public async Task Past_its_upload_slots_a_peer_answers_busy_until_a_slot_is_free()
    {
        // 64 MiB pieces: one a client does not read fills the socket buffers and holds the slot.
        await using var registry = await P2PRegistry.StartAsync(settings: new Dictionary<string, string?> { ["p2p:piecesize"] = "65536" });
        var layer = TestBlobs.Random((64 << 20) + 10, seed: 43);
        var digest = await registry.PushBlobAsync("alice/app", layer);
        var holder = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword,
            configure: o => o with { CacheBytes = 256L << 20, UploadSlots = 1 });
        Assert.Equal(layer.Length, (await TestBlobs.PullAsync(holder, "alice/app", digest)).Length);
        var token = await TokenAsync(registry, digest);
        using var slow = new HttpClient { BaseAddress = new Uri($"http://{holder.PeerAddress}/") };
        using var other = new HttpClient { BaseAddress = new Uri($"http://{holder.PeerAddress}/") };

        var held = await PieceRequestAsync(slow, digest, 0, token);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        using (var busy = await PieceRequestAsync(other, digest, 1, token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Contains(PieceServer.Busy, busy.Headers.GetValues(PiecesInFlight.Header));
        }
        // Read to the end: the slot goes back (a moment after the last byte left), and the next request is served.
        Assert.Equal(64 << 20, (await held.Content.ReadAsByteArrayAsync()).Length);
        held.Dispose();
        await AssertLastPieceServedOnceASlotIsFreeAsync(other, digest, token, attempts: 50);
        Assert.True(holder.Stats.BytesServedToPeers >= 64L << 20, "the held piece was not counted as served");
    }

    [Fact]
    public async Task A_peer_that_stops_reading_is_cut_off_at_the_deadline_and_its_slot_freed()
    {
        // 32 MiB pieces: more than the socket buffers of both ends hold, so the unread piece keeps the sender waiting.
        await using var registry = await P2PRegistry.StartAsync(settings: new Dictionary<string, string?> { ["p2p:piecesize"] = "32768" });
        var layer = TestBlobs.Random((32 << 20) + 10, seed: 44);
        var digest = await registry.PushBlobAsync("alice/app", layer);
        var holder = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword,
            configure: o => o with { CacheBytes = 128L << 20, UploadSlots = 1, PeerTimeout = TimeSpan.FromSeconds(2) });
        Assert.Equal(layer.Length, (await TestBlobs.PullAsync(holder, "alice/app", digest)).Length);
        var token = await TokenAsync(registry, digest);
        using var stalled = new HttpClient { BaseAddress = new Uri($"http://{holder.PeerAddress}/") };
        using var other = new HttpClient { BaseAddress = new Uri($"http://{holder.PeerAddress}/") };

        // Headers read, body never: before the fix this held the only slot for as long as the connection lived.
        using var held = await PieceRequestAsync(stalled, digest, 0, token);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        await AssertLastPieceServedOnceASlotIsFreeAsync(other, digest, token, attempts: 100);
        Assert.Equal(1, holder.Stats.SlowPeersCutOff);
        await Assert.ThrowsAnyAsync<Exception>(async () => await held.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Asks for piece 1 (the 10-byte one) every 100 ms while the answer is "busy"; it must then be served whole.</summary>
    private static async Task AssertLastPieceServedOnceASlotIsFreeAsync(HttpClient peer, Digest digest, string token, int attempts)
    {
        var served = await PieceRequestAsync(peer, digest, 1, token);
        for (var attempt = 0; attempt < attempts && served.StatusCode == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            served.Dispose();
            await Task.Delay(100);
            served = await PieceRequestAsync(peer, digest, 1, token);
        }
        using (served)
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(10, (await served.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    private static async Task<string> TokenAsync(P2PRegistry registry, Digest digest)
    {
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        using var response = await alice.PostAsync($"/p2p/v1/alice/app/blobs/{digest}/token", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static Task<HttpResponseMessage> BitfieldRequestAsync(HttpClient peer, Digest digest, string token) =>
        SendAsync(peer, $"/p2p/v1/pieces/{digest}", token);

    private static Task<HttpResponseMessage> PieceRequestAsync(HttpClient peer, Digest digest, int index, string token) =>
        SendAsync(peer, $"/p2p/v1/pieces/{digest}/{index}", token);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient peer, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Headers only: the body stays in the socket until read.
        return await peer.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
