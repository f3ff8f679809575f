using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.Auth;

/// <summary>
/// What a valid bearer token says: who (empty subject: anonymous) and which scopes were granted. <see cref="IssuedAt"/>
/// is its <c>iat</c> (the Unix epoch when it has none); <see cref="Stamp"/> its subject's credential stamp when it was
/// issued, null when it has none (tokens of another issuer, or issued before tokens carried one).
/// </summary>
public sealed record TokenClaims(string Subject, IReadOnlyList<ResourceScope> Access, DateTimeOffset Expires, DateTimeOffset IssuedAt = default,
    string? Stamp = null);

/// <summary>
/// Verifies bearer tokens as distribution does: signature by a key of <c>[token] rootcertbundle</c>, issuer
/// (<c>[token] issuer</c>), audience (<c>[token] service</c>), <c>nbf</c>/<c>exp</c> with a minute of leeway. Valid tokens
/// are remembered until they expire, since clients send the same token with every request.
/// </summary>
public sealed class TokenValidator
{
    /// <summary>How far apart the issuer's and this node's clocks may be (distribution's leeway).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private readonly RegistryAuthOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, TokenClaims> valid = new(StringComparer.Ordinal);
    // Made by the first token to check: Microsoft.IdentityModel is not loaded by a registry that never sees one.
    private Checker? checker;

    public TokenValidator(RegistryAuthOptions options, TimeProvider time)
    {
        this.options = options;
        this.time = time;
    }

    /// <summary>The token's claims; null when it is malformed, forged, expired or meant for another service.</summary>
    public async Task<TokenClaims?> ValidateAsync(string token)
    {
        if (valid.TryGetValue(token, out var cached))
        {
            if (cached.Expires.AddSeconds(60) >= time.GetUtcNow())
            {
                return cached;
            }
            valid.TryRemove(token, out _);
        }
        var check = LazyInitializer.EnsureInitialized(ref checker, () => new Checker(options, time));
        var result = await check.Handler.ValidateTokenAsync(token, check.Parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }
        var claims = new TokenClaims(jwt.Subject ?? "", ReadAccess(jwt), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero),
            jwt.TryGetPayloadValue<string>(TokenIssuer.StampClaim, out var stamp) ? stamp : null);
        if (valid.Count > 10_000)
        {
            valid.Clear();
        }
        valid[token] = claims;
        return claims;
    }

    private static List<ResourceScope> ReadAccess(JsonWebToken jwt)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var access = new List<ResourceScope>();
        if (payload.RootElement.TryGetProperty("access", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                    && entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    var actions = entry.TryGetProperty("actions", out var list) && list.ValueKind == JsonValueKind.Array
                        ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList()
                        : [];
                    access.Add(new ResourceScope(type.GetString()!, name.GetString()!, actions));
                }
            }
        }
        return access;
    }

    private sealed class Checker(RegistryAuthOptions options, TimeProvider time)
    {
        public JsonWebTokenHandler Handler { get; } = new();

        public TokenValidationParameters Parameters { get; } = new()
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Service,
            IssuerSigningKeys = options.Keys?.Verification ?? [],
            ClockSkew = ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
                SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && e + p.ClockSkew >= now && (notBefore is not { } nb || nb - p.ClockSkew <= now);
            },
        };
    }
}
