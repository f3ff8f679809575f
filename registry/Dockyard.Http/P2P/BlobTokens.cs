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

    /// <exception cref="RegistryException">UNSUPPORTED when the registry has no signing key (standalone mode): agents then pull from the registry.</exception>
    public IssuedToken Issue(string subject, RepositoryName repository, Digest blob) => options.Keys?.Signing is null
        ? throw new RegistryException(RegistryErrorCode.Unsupported, "peer-to-peer distribution needs the registry's token signing key ([dockyard] standalone = false)")
        : issuer.Sign(Audience, tracker.BlobTokenLifetime, new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["blob"] = blob.Value,
            ["repository"] = repository.Value,
        });
}
