using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The peer endpoint: <c>GET /p2p/v1/pieces/&lt;digest&gt;/&lt;index&gt;</c> answers a cached piece only to a request
/// carrying a valid blob token for that digest (401 otherwise), 404 for a piece this agent does not hold, with the
/// <see cref="PiecesInFlight.Header"/> header when it is fetching that piece from the registry right now.
/// </summary>
internal sealed class PieceServer(PieceCache cache, TokenKeySource keys, PiecesInFlight inFlight, AgentStats stats)
{
    public async Task ServeAsync(HttpContext context, string digestText, string indexText)
    {
        if (!Digest.TryParse(digestText, out var digest) || !int.TryParse(indexText, System.Globalization.NumberStyles.None, null, out var index))
        {
            await MirrorErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "DIGEST_INVALID", "a piece is /p2p/v1/pieces/<digest>/<index>");
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (await keys.GetAsync(context.RequestAborted) is not { } verifier || !await verifier.AllowsAsync(token, digest))
        {
            await MirrorErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "a valid blob token for this digest is required");
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
}
