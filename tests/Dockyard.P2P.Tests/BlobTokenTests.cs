using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.P2P.Tests;

/// <summary>
/// A private image never reaches a host that may not pull it: the registry gives no blob token (nor pieces, nor peers)
/// to a user without pull access, and an agent serves a piece only for a valid token naming that very blob.
/// </summary>
public sealed class BlobTokenTests
{
    private static readonly byte[] Secret = TestBlobs.Random(1 << 20, seed: 3);
    private static readonly byte[] Other = TestBlobs.Random(1000, seed: 4);

    [Fact]
    public async Task A_user_who_may_not_pull_gets_no_token_no_pieces_and_no_blob_through_an_agent()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/private", Secret);
        using var bob = registry.ClientAs("bob", P2PRegistry.BobPassword);

        foreach (var (method, path) in new[] { (HttpMethod.Post, "token"), (HttpMethod.Get, "pieces"), (HttpMethod.Get, "peers") })
        {
            using var response = await bob.SendAsync(new HttpRequestMessage(method, $"/p2p/v1/alice/private/blobs/{digest}/{path}"));
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized,
                $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("\"token\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var bobsAgent = await registry.StartAgentAsync("bob", P2PRegistry.BobPassword);
        using var pull = await new HttpClient { BaseAddress = bobsAgent.MirrorAddress }.GetAsync($"/v2/alice/private/blobs/{digest}");
        Assert.True(pull.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{(int)pull.StatusCode}");
        Assert.NotEqual(Secret.Length, (await pull.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(0, bobsAgent.Stats.BytesFromRegistry + bobsAgent.Stats.BytesFromPeers);
    }

    [Fact]
    public async Task An_agent_serves_a_piece_only_for_a_valid_token_of_that_blob()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/private", Secret);
        var otherDigest = await registry.PushBlobAsync("alice/private", Other);
        var holder = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        Assert.Equal(Secret, await TestBlobs.PullAsync(holder, "alice/private", digest));
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        var valid = await TokenAsync(alice, digest);
        var forOtherBlob = await TokenAsync(alice, otherDigest);
        var forged = Forge(valid);
        using var peer = new HttpClient { BaseAddress = new Uri($"http://{holder.PeerAddress}/") };

        Assert.Equal(HttpStatusCode.Unauthorized, await PieceStatusAsync(peer, digest, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PieceStatusAsync(peer, digest, forOtherBlob));
        Assert.Equal(HttpStatusCode.Unauthorized, await PieceStatusAsync(peer, digest, forged));
        Assert.Equal(HttpStatusCode.Unauthorized, await PieceStatusAsync(peer, digest, "not.a.token"));
        Assert.Equal(HttpStatusCode.OK, await PieceStatusAsync(peer, digest, valid));
        // The blob token is no registry credential: its audience is the P2P one.
        using var misuse = new HttpRequestMessage(HttpMethod.Get, $"/v2/alice/private/blobs/{digest}");
        misuse.Headers.Authorization = new AuthenticationHeaderValue("Bearer", valid);
        using var registryAnswer = await new HttpClient { BaseAddress = registry.BaseAddress }.SendAsync(misuse);
        Assert.Equal(HttpStatusCode.Unauthorized, registryAnswer.StatusCode);
    }

    [Fact]
    public async Task A_peer_in_the_swarm_of_a_shared_layer_learns_neither_the_private_repository_nor_the_user_from_the_token()
    {
        // The swarm is per digest: bob holds the same layer in his own repository and plays a peer of it, alice pulls it
        // through her private repository. Before, the token her agent showed bob's peer named "alice/private" and "alice".
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/private", Secret);
        Assert.Equal(digest, await registry.PushBlobAsync("bob/base", Secret, "bob", P2PRegistry.BobPassword));
        var shown = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var bobsPeer = await FakePeer.StartAsync(async (context, _, _) =>
        {
            shown.Enqueue(context.Request.Headers.Authorization.ToString());
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("{}");
        });
        using (var bob = registry.ClientAs("bob", P2PRegistry.BobPassword))
        {
            using var announced = await bob.PostAsJsonAsync($"/p2p/v1/bob/base/blobs/{digest}/peers", new { agent = "bobs", address = bobsPeer.Address, ttl = 300 });
            Assert.Equal(HttpStatusCode.NoContent, announced.StatusCode);
        }
        var alicesAgent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);

        Assert.Equal(Secret, await TestBlobs.PullAsync(alicesAgent, "alice/private", digest));

        Assert.NotEmpty(shown);
        foreach (var header in shown)
        {
            var token = new JsonWebToken(header["Bearer ".Length..]);
            var payload = Base64UrlEncoder.Decode(token.EncodedPayload);
            Assert.Equal(digest.Value, token.GetClaim("blob").Value);
            Assert.DoesNotContain("private", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", payload, StringComparison.Ordinal);
        }
    }

    private static async Task<string> TokenAsync(HttpClient client, Digest digest)
    {
        using var response = await client.PostAsync($"/p2p/v1/alice/private/blobs/{digest}/token", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpStatusCode> PieceStatusAsync(HttpClient peer, Digest digest, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/p2p/v1/pieces/{digest}/0");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await peer.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(Secret, await response.Content.ReadAsByteArrayAsync());
        }
        return response.StatusCode;
    }

    /// <summary>The same claims signed by a key the registry never had.</summary>
    private static string Forge(string genuine)
    {
        var original = new JsonWebToken(genuine);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = original.Issuer,
            Audience = original.Audiences.First(),
            Expires = original.ValidTo,
            IssuedAt = original.IssuedAt,
            NotBefore = original.ValidFrom,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object> { ["blob"] = original.GetClaim("blob").Value, ["sub"] = "alice" },
        });
    }
}
