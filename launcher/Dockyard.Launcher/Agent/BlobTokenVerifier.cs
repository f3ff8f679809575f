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
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return false;
        }
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        return payload.RootElement.TryGetProperty("blob", out var claim) && claim.ValueKind == JsonValueKind.String && claim.GetString() == blob.Value;
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
