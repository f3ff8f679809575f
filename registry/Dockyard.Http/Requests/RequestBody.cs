using System.Text.Json;
using Dockyard.Core.Bodies;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Requests;

/// <summary>
/// Request bodies that handlers parse in memory, read through <see cref="BoundedBody"/> with the request's Content-Length
/// (absent when chunked) and its abort token: over the limit they are 413 SIZE_INVALID on every host.
/// </summary>
public static class RequestBody
{
    /// <summary>The whole body; 413 SIZE_INVALID naming <paramref name="what"/> beyond <paramref name="limit"/> bytes.</summary>
    public static Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int limit, string what) =>
        BoundedBody.ReadAsync(request.Body, request.ContentLength, limit, what, request.HttpContext.RequestAborted);

    /// <summary>The whole body parsed by <see cref="StrictJson"/>; 413 as <see cref="ReadAsync"/>.</summary>
    /// <exception cref="JsonException">Not JSON (an empty body included), or a string that is not text.</exception>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, int limit, string what) =>
        StrictJson.Parse(await ReadAsync(request, limit, what));
}
