using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.Auth;

/// <summary>An issued token as the token endpoint returns it.</summary>
public sealed record IssuedToken(string Token, int ExpiresIn, DateTimeOffset IssuedAt);

/// <summary>
/// Signs Docker registry bearer tokens: JWT with <c>iss</c>, <c>sub</c>, <c>aud</c> (the service), <c>exp</c>,
/// <c>nbf</c>, <c>iat</c>, <c>jti</c>, <c>access</c> (the granted scopes) and, for a user, <c>stamp</c> (their
/// <see cref="Core.Accounts.CredentialStamp"/> when it was issued), signed ES256/RS256 with a libtrust <c>kid</c>.
/// </summary>
public sealed class TokenIssuer(RegistryAuthOptions options, TimeProvider time)
{
    /// <param name="subject">The user name; empty for anonymous.</param>
    /// <param name="stamp">The user's credential stamp now; empty for anonymous (no claim is written).</param>
    public IssuedToken Issue(string subject, string stamp, IReadOnlyList<ResourceScope> access)
    {
        // Docker clients refuse tokens that expire in under a minute.
        var lifetime = options.TokenLifetime < TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : options.TokenLifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access.Select(a => (object)new Dictionary<string, object>
            {
                ["type"] = a.Type,
                ["name"] = a.Name,
                ["actions"] = a.Actions.ToList(),
            }).ToList(),
        };
        if (stamp.Length > 0)
        {
            claims[StampClaim] = stamp;
        }
        return Sign(options.Service, lifetime, claims);
    }

    /// <summary>The claim holding the subject's credential stamp.</summary>
    public const string StampClaim = "stamp";

    /// <summary>
    /// A JWT with the registry's issuer, <paramref name="audience"/>, <c>iat</c>/<c>nbf</c> now and <c>exp</c> after
    /// <paramref name="lifetime"/>, and <paramref name="claims"/>, signed with the token key (also P2P blob tokens).
    /// </summary>
    internal IssuedToken Sign(string audience, TimeSpan lifetime, Dictionary<string, object> claims)
    {
        var signing = options.Keys?.Signing ?? throw new InvalidOperationException("no token signing key is configured ([auth_server] privateKey)");
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = signing,
            TokenType = "JWT",
            Claims = claims,
        };
        return new IssuedToken(Handler.Instance.CreateToken(descriptor), (int)lifetime.TotalSeconds, now);
    }

    // Made by the first token signed: Microsoft.IdentityModel is not loaded by a registry that never issues one.
    private static class Handler
    {
        public static readonly JsonWebTokenHandler Instance = new() { SetDefaultTimesOnTokenCreation = false };
    }
}
