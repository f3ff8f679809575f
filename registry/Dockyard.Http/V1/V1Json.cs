using System.Text.Json;
using Dockyard.Core.Bodies;
using Dockyard.Core.Errors;
using Dockyard.Http.Requests;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>JSON bodies of the V1 API: writing answers, reading small request bodies (image JSON, image lists, tag targets).</summary>
public static class V1Json
{
    public const int MaxBodyBytes = 1 << 20;

    public static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), cancellationToken: context.RequestAborted);
    }

    /// <summary>The whole request body, at most <see cref="MaxBodyBytes"/> (413 SIZE_INVALID beyond, declared or chunked).</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request) =>
        (await RequestBody.ReadAsync(request, MaxBodyBytes, "a V1 body")).ToArray();

    /// <summary>The body parsed as JSON; null for an empty body. 400 INVALID_FIELD when it is not JSON or holds a string that is not text.</summary>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request)
    {
        var bytes = await RequestBody.ReadAsync(request, MaxBodyBytes, "a V1 body");
        if (bytes.Length == 0)
        {
            return null;
        }
        try
        {
            using var document = StrictJson.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "Invalid JSON: " + e.Message, new { field = "body" });
        }
    }
}
