using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Core.Names;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.Auth;

/// <summary>
/// What a valid V1 token says: who (empty: anonymous), for which repository, read or write. <see cref="IssuedAt"/> is
/// its expiry less the configured lifetime (the token carries no issue time of its own); <see cref="Stamp"/> the
/// subject's credential stamp when it was issued (empty for anonymous).
/// </summary>
public sealed record V1TokenClaims(string Subject, RepositoryName Repository, bool Write, DateTimeOffset Expires, DateTimeOffset IssuedAt = default,
    string Stamp = "");

/// <summary>
/// Docker Registry V1 tokens: <c>signature=&lt;expiry&gt;.&lt;subject&gt;.&lt;stamp&gt;.&lt;mac&gt;,repository="ns/repo",access=read|write</c>,
/// answered in <c>X-Docker-Token</c> and sent back as <c>Authorization: Token …</c>. The MAC is HMAC-SHA256 keyed by a
/// secret derived from the token signing key, so every node holding that key verifies tokens without shared state.
/// Without a signing key (standalone mode) a per-process random key is used; nothing is enforced there anyway.
/// </summary>
public sealed class V1Tokens
{
    private readonly byte[] key;
    private readonly TimeSpan lifetime;
    private readonly TimeProvider time;

    public V1Tokens(RegistryAuthOptions options, TimeProvider time)
    {
        this.time = time;
        lifetime = options.TokenLifetime < TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : options.TokenLifetime;
        // Asked only when keys are configured: the key types' assembly (Microsoft.IdentityModel) stays unloaded otherwise.
        var material = (options.Keys is { } keys ? SigningKeyMaterial(keys) : null) ?? RandomNumberGenerator.GetBytes(32);
        key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("dockyard docker registry v1 token"), material);
    }

    private static byte[]? SigningKeyMaterial(TokenKeys keys) => keys.Signing?.Key switch
    {
        ECDsaSecurityKey ec => ec.ECDsa.ExportPkcs8PrivateKey(),
        RsaSecurityKey { Rsa: { } rsa } => rsa.ExportPkcs8PrivateKey(),
        _ => null,
    };

    /// <summary>The <c>X-Docker-Token</c> value (without the <c>Token </c> prefix the client adds).</summary>
    /// <param name="subject">The user name; empty for anonymous.</param>
    /// <param name="stamp">The user's credential stamp now; empty for anonymous.</param>
    public string Issue(string subject, string stamp, RepositoryName repository, bool write)
    {
        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var access = write ? "write" : "read";
        var user = Base64UrlEncoder.Encode(subject);
        var stamped = Base64UrlEncoder.Encode(stamp);
        return $"signature={expires}.{user}.{stamped}.{Mac(expires, user, stamped, repository.Value, access)},repository=\"{repository}\",access={access}";
    }

    /// <summary>The claims of an <c>Authorization: Token …</c> value; null when it is malformed, forged or expired.</summary>
    public V1TokenClaims? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in token.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals > 0)
            {
                fields[part[..equals]] = part[(equals + 1)..].Trim('"');
            }
        }
        if (!fields.TryGetValue("signature", out var signature) || !fields.TryGetValue("repository", out var repositoryText)
            || !fields.TryGetValue("access", out var access) || access is not ("read" or "write")
            || !RepositoryName.TryParse(repositoryText, out var repository))
        {
            return null;
        }
        var pieces = signature.Split('.');
        if (pieces.Length != 4 || !long.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Mac(pieces[0], pieces[1], pieces[2], repository.Value, access));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(pieces[3])))
        {
            return null;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiresAt, 253402300799));
        if (expires < time.GetUtcNow())
        {
            return null;
        }
        string subject, stamp;
        try
        {
            subject = Base64UrlEncoder.Decode(pieces[1]);
            stamp = Base64UrlEncoder.Decode(pieces[2]);
        }
        catch (FormatException)
        {
            return null;
        }
        return new V1TokenClaims(subject, repository, access == "write", expires, expires - lifetime, stamp);
    }

    private string Mac(string expires, string user, string stamp, string repository, string access) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{expires}\n{user}\n{stamp}\n{repository}\n{access}")));
}
