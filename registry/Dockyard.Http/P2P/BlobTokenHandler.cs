using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Names;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Dockyard.Http.P2P;

/// <summary>
/// <c>POST /p2p/v1/&lt;name&gt;/blobs/&lt;digest&gt;/token</c> issues a blob token (pull access to the repository,
/// which must hold the blob); <c>GET /p2p/v1/keys</c> publishes what verifies one: issuer, audience and public keys (PEM).
/// </summary>
public sealed class BlobTokenHandler(BlobTokens tokens, BlobService blobs)
{
    public async Task IssueAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var digest = Digest.Parse(values["digest"]);
        await blobs.StatAsync(name, digest, context.RequestAborted);
        var issued = tokens.Issue(digest);
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("token", issued.Token);
        writer.WriteNumber("expires_in", issued.ExpiresIn);
        writer.WriteString("issued_at", issued.IssuedAt);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public async Task KeysAsync(HttpContext context, RouteValues values)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("issuer", tokens.Issuer);
        writer.WriteString("audience", tokens.Audience);
        writer.WriteStartArray("keys");
        foreach (var key in tokens.VerificationKeys)
        {
            var pem = key switch
            {
                ECDsaSecurityKey ec => ec.ECDsa.ExportSubjectPublicKeyInfoPem(),
                RsaSecurityKey { Rsa: { } rsa } => rsa.ExportSubjectPublicKeyInfoPem(),
                _ => null,
            };
            if (pem is not null)
            {
                writer.WriteStartObject();
                writer.WriteString("kid", key.KeyId);
                writer.WriteString("pem", pem);
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
