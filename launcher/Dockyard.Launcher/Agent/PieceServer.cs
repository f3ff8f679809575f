using System.Text.Json;
using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The peer endpoint, every answer only to a request carrying a valid blob token for that digest (401 otherwise):
/// <c>GET /p2p/v1/pieces/&lt;digest&gt;/&lt;index&gt;</c> answers a cached piece, 404 for a piece this agent does not
/// hold (with the <see cref="PiecesInFlight.Header"/> header when it is fetching that piece from the registry right
/// now), 503 "busy" when every upload slot is taken; <c>GET /p2p/v1/pieces/&lt;digest&gt;</c> answers which pieces it
/// holds and is fetching (<see cref="PieceBitfield"/>).
/// </summary>
internal sealed class PieceServer(PieceCache cache, TokenKeySource keys, PiecesInFlight inFlight, Slots uploads, AgentStats stats)
{
    /// <summary>The <see cref="PiecesInFlight.Header"/> value of a 503 meaning "every upload slot is taken, ask again shortly"; never a penalty.</summary>
    public const string Busy = "busy";

    public async Task ServeAsync(HttpContext context, string digestText, string indexText)
    {
        if (!Digest.TryParse(digestText, out var digest) || !int.TryParse(indexText, System.Globalization.NumberStyles.None, null, out var index))
        {
            await MirrorErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "DIGEST_INVALID", "a piece is /p2p/v1/pieces/<digest>/<index>");
            return;
        }
        if (!await AuthorizedAsync(context, digest))
        {
            return;
        }
        using var slot = uploads.TryTake();
        if (slot is null)
        {
            context.Response.Headers[PiecesInFlight.Header] = Busy;
            await MirrorErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", $"all {uploads.Count} upload slots are taken");
            return;
        }
        if (await cache.ReadAsync(digest, index, context.RequestAborted) is not { } bytes)
        {
            if (inFlight.IsFetching(digest, index))
            {
                context.Response.Headers[PiecesInFlight.Header] = PiecesInFlight.Fetching;
            }
            await MirrorErrors.WriteAsync(context, StatusCodes.Status404NotFound, "BLOB_UNKNOWN", "piece not held here");
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        stats.ServedToPeer(bytes.Length);
    }

    public async Task ServeBitfieldAsync(HttpContext context, string digestText)
    {
        if (!Digest.TryParse(digestText, out var digest))
        {
            await MirrorErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "DIGEST_INVALID", "a bitfield is /p2p/v1/pieces/<digest>");
            return;
        }
        if (await AuthorizedAsync(context, digest))
        {
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            writer.WriteString("held", PieceBitfield.Encode(cache.PiecesOf(digest)));
            writer.WriteString("fetching", PieceBitfield.Encode(inFlight.FetchingOf(digest)));
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        }
    }

    private async Task<bool> AuthorizedAsync(HttpContext context, Digest digest)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (await keys.GetAsync(context.RequestAborted) is { } verifier && await verifier.AllowsAsync(token, digest))
        {
            return true;
        }
        await MirrorErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "a valid blob token for this digest is required");
        return false;
    }
}
