using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.P2P;

/// <summary>
/// <c>GET /p2p/v1/&lt;name&gt;/blobs/&lt;digest&gt;/pieces</c>: the blob's size, piece size and per-piece SHA-256, the
/// authenticated metadata agents verify peers' pieces against. Pull access as for the blob itself.
/// </summary>
public sealed class PieceHandler(BlobPieceService pieces)
{
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var digest = Digest.Parse(values["digest"]);
        var list = await pieces.GetAsync(name, digest, context.RequestAborted);
        context.Response.ContentType = "application/json";
        // Piece hashes of a digest never change.
        context.Response.Headers.CacheControl = "private, max-age=31536000";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("digest", list.Blob.Value);
        writer.WriteNumber("size", list.Size);
        writer.WriteNumber("pieceSize", list.PieceSize);
        writer.WriteStartArray("pieces");
        foreach (var hash in list.Hashes)
        {
            writer.WriteStringValue(hash);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
