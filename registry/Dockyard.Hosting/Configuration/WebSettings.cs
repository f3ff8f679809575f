using System.Security.Cryptography;
using System.Text;
using Dockyard.Http.Auth;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[web]</c>: the web UI that <c>dockyard web</c> serves at <c>/</c>.</summary>
public sealed class WebSettings
{
    private const int MinimumSecretLength = 16;

    /// <summary>
    /// <c>secret</c>: seals the UI's session key ring in the metadata store; must be the same on every node. Absent: a
    /// key derived from the token signing key (<c>[auth_server] privateKey</c>, already the same on every node) seals
    /// it; in standalone mode, where there is no signing key, the ring is stored unsealed.
    /// </summary>
    public string? Secret { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(Secret) && Secret.Trim().Length < MinimumSecretLength)
        {
            yield return $"[web] secret: at least {MinimumSecretLength} characters (it seals the session keys every node shares); leave it out to use the token signing key";
        }
    }

    /// <summary>
    /// The 32-byte key that seals the key ring: from <see cref="Secret"/>, else from the token signing key; null in
    /// standalone mode without a secret (a session there grants nothing the API does not grant anyone).
    /// </summary>
    public byte[]? KeyRingKey(RegistryAuthOptions auth)
    {
        var material = !string.IsNullOrEmpty(Secret) ? Encoding.UTF8.GetBytes(Secret.Trim())
            : auth.Keys?.Signing?.Key switch
            {
                ECDsaSecurityKey ec => ec.ECDsa.ExportPkcs8PrivateKey(),
                RsaSecurityKey { Rsa: { } rsa } => rsa.ExportPkcs8PrivateKey(),
                _ => null,
            };
        // A label of its own, so the sealing key differs from the V1 tokens' MAC key derived from the same material.
        return material is null ? null : HMACSHA256.HashData(Encoding.UTF8.GetBytes("dockyard web ui session key ring"), material);
    }
}
