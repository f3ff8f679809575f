using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Core.Names;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Checks the blob token a peer presents: signed by a key the registry publishes at <c>/p2p/v1/keys</c>, with the
/// registry's issuer and the P2P audience, unexpired, and naming exactly the blob asked for. Nothing else about the
/// requester is trusted: holding such a token is what proves the registry let it pull the blob.
/// </summary>
internal sealed class BlobTokenVerifier
{
    // Tokens already verified, with the blob they name and when they expire: every bitfield and piece request of a swarm
    // shows one of a few tokens, and a signature check and JSON parse for each was CPU the pieces needed. Only valid
    // tokens are kept (a forged one is checked, and refused, every time), and the set is emptied past a bound.
    private const int MaxRemembered = 4096;
    private readonly ConcurrentDictionary<string, (string Blob, DateTime ValidTo)> verified = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler handler = new();
    private readonly TokenValidationParameters parameters;

    public BlobTokenVerifier(string issuer, string audience, IEnumerable<string> publicKeysPem)
    {
        parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = [.. publicKeysPem.Select(KeyOf)],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
                SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
        };
    }

    /// <summary>True when <paramref name="token"/> is a valid blob token for <paramref name="blob"/>.</summary>
    public async Task<bool> AllowsAsync(string? token, Digest blob)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return false;
        }
        if (verified.TryGetValue(token, out var known) && known.ValidTo > DateTime.UtcNow)
        {
            return known.Blob == blob.Value;
        }
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return false;
        }
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        if (!payload.RootElement.TryGetProperty("blob", out var claim) || claim.ValueKind != JsonValueKind.String || claim.GetString() is not { } named)
        {
            return false;
        }
        if (verified.Count >= MaxRemembered)
        {
            verified.Clear();
        }
        // Remembered until its own expiry, without the clock skew the first check allowed.
        verified[token] = (named, jwt.ValidTo);
        return named == blob.Value;
    }

    private static SecurityKey KeyOf(string pem)
    {
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
    }
}
