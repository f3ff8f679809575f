using System.Text.Json;
using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The peer endpoint, every answer only to a request carrying a valid blob token for that digest (401 otherwise):
/// <c>GET /p2p/v1/pieces/&lt;digest&gt;/&lt;index&gt;</c> answers a cached piece, 404 for a piece this agent does not
/// hold (with the <see cref="PiecesInFlight.Header"/> header when it is fetching that piece from the registry right
/// now), 503 "busy" when every upload slot is taken; <c>GET /p2p/v1/pieces/&lt;digest&gt;</c> answers which pieces it
/// holds and is fetching (<see cref="PieceBitfield"/>). A piece must reach the asker within
/// <paramref name="uploadDeadline"/>: a peer that reads slower (or not at all) is cut off, so it cannot hold an upload
/// slot forever.
/// </summary>
internal sealed class PieceServer(PieceCache cache, TokenKeySource keys, PiecesInFlight inFlight, Slots uploads, TimeSpan uploadDeadline, AgentStats stats)
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
        using var piece = await cache.RentAsync(digest, index, context.RequestAborted);
        if (piece is null)
        {
            if (inFlight.IsFetching(digest, index))
            {
                context.Response.Headers[PiecesInFlight.Header] = PiecesInFlight.Fetching;
            }
            await MirrorErrors.WriteAsync(context, StatusCodes.Status404NotFound, "BLOB_UNKNOWN", "piece not held here");
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = piece.Length;
        // Kestrel's minimum data rate (240 B/s) would let a peer that barely reads keep this slot for hours, and every
        // slot with a few such connections: the same deadline an asker gives a peer bounds what a peer may take.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(uploadDeadline);
        try
        {
            await context.Response.Body.WriteAsync(piece.Memory, deadline.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            stats.SlowPeer();
            context.Abort();
            return;
        }
        stats.ServedToPeer(piece.Length);
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
