using Dockyard.Core.P2P;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.P2P;

/// <summary>
/// The peer-to-peer distribution API under <c>/p2p/v1</c> (docs/p2p.md): piece hashes, the tracker and blob tokens,
/// each scoped to a repository and a blob and needing pull access there, and the public keys verifying blob tokens.
/// </summary>
public static class P2PRoutes
{
    /// <param name="options">With <see cref="PeerTrackerOptions.Enabled"/> false, no route: <c>/p2p</c> paths answer the registry's 404.</param>
    public static IEnumerable<RouteDefinition> Create(PeerTrackerOptions options, PieceHandler pieces, PeerHandler peers, BlobTokenHandler tokens)
    {
        if (!options.Enabled)
        {
            yield break;
        }
        const AccessRequirement Pull = AccessRequirement.Pull;
        string get = HttpMethods.Get, post = HttpMethods.Post;
        yield return new("p2p.keys", "/p2p/v1/keys", RouteMethods.Of((get, AccessRequirement.Anonymous, tokens.KeysAsync)));
        yield return new("p2p.pieces", "/p2p/v1/{name}/blobs/{digest}/pieces", RouteMethods.Of((get, Pull, pieces.GetAsync)));
        yield return new("p2p.peers", "/p2p/v1/{name}/blobs/{digest}/peers", RouteMethods.Of((get, Pull, peers.ListAsync), (post, Pull, peers.AnnounceAsync)));
        yield return new("p2p.token", "/p2p/v1/{name}/blobs/{digest}/token", RouteMethods.Of((post, Pull, tokens.IssueAsync)));
    }
}
