using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Dockyard.Http.Auth;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.P2P;

/// <summary>
/// <c>/p2p/v1/&lt;name&gt;/blobs/&lt;digest&gt;/peers</c>: GET a bounded random set of agents holding the blob
/// (<c>?agent=</c> leaves the asker out), POST <c>{"agent","address","ttl"}</c> to announce holding it. Both need pull
/// access to a repository that holds the blob, so neither who holds a blob nor a place in the swarm leaks past it; the
/// announced address must be the caller's own unless <see cref="PeerTrackerOptions.TrustAnnouncedAddresses"/>. Agent
/// ids are scoped to their announcer (<see cref="PeerAnnouncer"/>): answers name the scoped id.
/// </summary>
public sealed class PeerHandler(PeerTracker tracker, BlobService blobs)
{
    private const int MaxBody = 4096;

    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var (name, digest) = Parse(values);
        await blobs.StatAsync(name, digest, context.RequestAborted);
        var agent = context.Request.Query["agent"].ToString();
        var peers = await tracker.SelectPeersAsync(digest, Announcer(context), agent.Length == 0 ? null : agent, context.RequestAborted);
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("peers");
        foreach (var peer in peers)
        {
            writer.WriteStartObject();
            writer.WriteString("agent", peer.AgentId);
            writer.WriteString("address", peer.Address);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public async Task AnnounceAsync(HttpContext context, RouteValues values)
    {
        var (name, digest) = Parse(values);
        await blobs.StatAsync(name, digest, context.RequestAborted);
        string? agent, address;
        int ttl;
        try
        {
            using var body = await RequestBody.ReadJsonAsync(context.Request, MaxBody, "announcement");
            var root = body.RootElement;
            agent = root.TryGetProperty("agent", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            address = root.TryGetProperty("address", out var ad) && ad.ValueKind == JsonValueKind.String ? ad.GetString() : null;
            ttl = root.TryGetProperty("ttl", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var seconds) ? seconds : -1;
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "the announcement is not a JSON object", new { reason = e.Message });
        }
        catch (InvalidOperationException)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "the announcement is not a JSON object");
        }
        await tracker.AnnounceAsync(digest, Announcer(context), agent, address, TimeSpan.FromSeconds(ttl), context.Connection.RemoteIpAddress, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static PeerAnnouncer Announcer(HttpContext context) =>
        PeerAnnouncer.Of(AccessContext.Of(context).Principal.UserName, context.Connection.RemoteIpAddress);

    private static (RepositoryName, Digest) Parse(RouteValues values) => (RepositoryName.Parse(values["name"]), Digest.Parse(values["digest"]));
}
