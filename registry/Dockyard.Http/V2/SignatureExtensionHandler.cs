using System.Text.Json;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Signatures;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary>
/// <c>/extensions/v2/&lt;name&gt;/signatures/&lt;digest&gt;</c>: the signature API extension of OpenShift's registry, which
/// containers/image (skopeo, podman) uses for simple signing when a registry answers
/// <c>X-Registry-Supports-Signatures: 1</c>. GET lists
/// <c>{"signatures":[{"schemaVersion":2,"name":"&lt;digest&gt;@&lt;suffix&gt;","type":"atomic","content":"&lt;base64&gt;"}]}</c>;
/// PUT stores one such object and answers 201.
/// </summary>
public sealed class SignatureExtensionHandler(ImageSignatureService signatures)
{
    /// <summary>The response header that tells containers/image the registry stores signatures.</summary>
    public const string SupportsSignaturesHeader = "X-Registry-Supports-Signatures";

    private const int MaxBodyBytes = ImageSignatureService.MaxBytes * 2;

    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var manifest = Digest.Parse(values["digest"]);
        var list = await signatures.ListAsync(name, manifest, context.RequestAborted);
        var response = context.Response;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("signatures");
        foreach (var (signature, bytes) in list)
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", signature.SchemaVersion);
            writer.WriteString("name", signature.Name);
            writer.WriteString("type", signature.Type);
            writer.WriteBase64String("content", bytes);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public async Task PutAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var manifest = Digest.Parse(values["digest"]);
        var (version, signatureName, type, content) = await ReadBodyAsync(context.Request);
        await signatures.AddAsync(name, manifest, version, signatureName, type, content, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentLength = 0;
    }

    private static async Task<(int Version, string Name, string? Type, byte[] Content)> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            using var document = await RequestBody.ReadJsonAsync(request, MaxBodyBytes, "a signature body");
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("body", "expected a JSON object");
            }
            var version = root.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var number) ? number : 0;
            var signatureName = root.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
                ? nameElement.GetString()! : throw Invalid("name", "expected a string");
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var content = root.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String && c.TryGetBytesFromBase64(out var bytes)
                ? bytes : throw Invalid("content", "expected base64 text");
            return (version, signatureName, type, content);
        }
        catch (JsonException e)
        {
            throw Invalid("body", $"not JSON: {e.Message}");
        }
    }

    private static RegistryException Invalid(string field, string message) =>
        new(RegistryErrorCode.InvalidField, $"invalid signature: {field}: {message}", new { field });
}
