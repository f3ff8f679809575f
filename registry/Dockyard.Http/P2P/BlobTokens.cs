using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Dockyard.Http.Auth;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.P2P;

/// <summary>
/// Short-lived blob tokens: JWTs signed with the registry's token key that let their bearer fetch the pieces of ONE blob
/// from other agents. Their audience is <c>&lt;service&gt;/p2p</c>, so the registry itself never takes one as a bearer
/// token (its validator wants the plain service), and their only grant is the <c>blob</c> claim an agent checks.
/// </summary>
public sealed class BlobTokens(RegistryAuthOptions options, PeerTrackerOptions tracker, TokenIssuer issuer)
{
    public string Audience => options.Service + "/p2p";

    public string Issuer => options.Issuer;

    /// <summary>The keys that verify blob tokens; empty in standalone mode.</summary>
    public IReadOnlyList<SecurityKey> VerificationKeys => options.Keys?.Verification ?? [];

    /// <remarks>
    /// The token names the blob and nothing else: an agent shows it to every peer of the blob's swarm, and the swarm is
    /// per digest, so a layer shared with a public image puts whoever announces it through the public repository among
    /// the peers of those pulling it through a private one. A repository or user claim told them that private
    /// repository's name and its puller.
    /// </remarks>
    /// <exception cref="RegistryException">UNSUPPORTED when the registry has no signing key (standalone mode): agents then pull from the registry.</exception>
    public IssuedToken Issue(Digest blob) => options.Keys?.Signing is null
        ? throw new RegistryException(RegistryErrorCode.Unsupported, "peer-to-peer distribution needs the registry's token signing key ([dockyard] standalone = false)")
        : issuer.Sign(Audience, tracker.BlobTokenLifetime, new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["blob"] = blob.Value,
        });
}
