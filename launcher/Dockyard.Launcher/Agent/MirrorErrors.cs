using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Launcher.Agent;

/// <summary>The distribution spec's error body, as the agent's endpoints answer refusals and failures.</summary>
internal static class MirrorErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "5";
        }
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartArray("errors");
        writer.WriteStartObject();
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>The status and code a launcher failure is answered with.</summary>
    public static (int Status, string Code) Of(LaunchException e, string unknownCode) => e.Failure switch
    {
        LaunchFailure.ImageNotFound => (StatusCodes.Status404NotFound, unknownCode),
        LaunchFailure.NoPermission => (StatusCodes.Status403Forbidden, "DENIED"),
        _ => (StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE"),
    };
}
