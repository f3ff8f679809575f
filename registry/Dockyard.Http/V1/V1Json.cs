using System.Text.Json;
using Dockyard.Core;
using Dockyard.Core.Errors;
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

    /// <summary>The whole request body, at most <see cref="MaxBodyBytes"/> (400 SIZE_INVALID beyond).</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>The body parsed as JSON; null for an empty body. 400 INVALID_FIELD when it is not JSON or a string in it does not decode.</summary>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request)
    {
        var bytes = await ReadBytesAsync(request);
        if (bytes.Length == 0)
        {
            return null;
        }
        try
        {
            using var document = ClientJson.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "Invalid JSON: " + e.Message, new { field = "body" });
        }
    }

    private static RegistryException TooLarge() =>
        new(RegistryErrorCode.SizeInvalid, $"the body must be at most {MaxBodyBytes} bytes");
}
