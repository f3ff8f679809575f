using System.Text.Json;
using Dockyard.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Errors;

/// <summary>
/// Writes the distribution-spec error body <c>{"errors":[{"code","message","detail"}]}</c> with the matching status; under
/// <c>/v1/</c> the body also carries the V1 registry's <c>"error": message</c>, which docker 1.x clients read.
/// </summary>
public static class ErrorEnvelope
{
    private const string RetryAfterSeconds = "5";

    public static int StatusOf(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown or RegistryErrorCode.BlobUploadUnknown or RegistryErrorCode.ManifestUnknown
            or RegistryErrorCode.NameUnknown => StatusCodes.Status404NotFound,
        RegistryErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        RegistryErrorCode.Denied => StatusCodes.Status403Forbidden,
        RegistryErrorCode.Unsupported => StatusCodes.Status405MethodNotAllowed,
        RegistryErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
        RegistryErrorCode.RangeInvalid => StatusCodes.Status416RangeNotSatisfiable,
        RegistryErrorCode.NotFound => StatusCodes.Status404NotFound,
        RegistryErrorCode.Conflict => StatusCodes.Status409Conflict,
        RegistryErrorCode.ManifestTooLarge or RegistryErrorCode.BodyTooLarge or RegistryErrorCode.QuotaExceeded => StatusCodes.Status413PayloadTooLarge,
        RegistryErrorCode.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string CodeOf(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => "BLOB_UNKNOWN",
        RegistryErrorCode.BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
        RegistryErrorCode.BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
        RegistryErrorCode.DigestInvalid => "DIGEST_INVALID",
        RegistryErrorCode.ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
        RegistryErrorCode.ManifestInvalid => "MANIFEST_INVALID",
        RegistryErrorCode.ManifestUnknown => "MANIFEST_UNKNOWN",
        RegistryErrorCode.NameInvalid => "NAME_INVALID",
        RegistryErrorCode.NameUnknown => "NAME_UNKNOWN",
        RegistryErrorCode.SizeInvalid or RegistryErrorCode.ManifestTooLarge or RegistryErrorCode.BodyTooLarge => "SIZE_INVALID",
        RegistryErrorCode.Unauthorized => "UNAUTHORIZED",
        RegistryErrorCode.Denied or RegistryErrorCode.QuotaExceeded => "DENIED",
        RegistryErrorCode.Unsupported or RegistryErrorCode.NotImplemented => "UNSUPPORTED",
        RegistryErrorCode.TooManyRequests => "TOOMANYREQUESTS",
        RegistryErrorCode.RangeInvalid => "RANGE_INVALID",
        RegistryErrorCode.PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
        RegistryErrorCode.InvalidField => "INVALID_FIELD",
        RegistryErrorCode.NotFound => "NOT_FOUND",
        RegistryErrorCode.Conflict => "CONFLICT",
        _ => "UNKNOWN",
    };

    public static Task WriteAsync(HttpContext context, RegistryException error) =>
        WriteAsync(context, StatusOf(error.Code), CodeOf(error.Code), error.Message, error.Detail);

    /// <summary>
    /// 503 UNAVAILABLE with Retry-After: a service the registry needs (storage, the login directory) is down for now,
    /// nothing was changed, and clients (docker, skopeo) may send the same request again.
    /// </summary>
    public static Task WriteUnavailableAsync(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", message);
    }

    public static async Task WriteAsync(HttpContext context, int status, string code, string message, object? detail = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentLength = null;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("errors");
        writer.WriteStartObject();
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        if (detail is not null)
        {
            writer.WritePropertyName("detail");
            JsonSerializer.Serialize(writer, detail, detail.GetType());
        }
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (context.Request.Path.StartsWithSegments("/v1"))
        {
            writer.WriteString("error", message);
        }
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
