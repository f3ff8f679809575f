using System.Text.Json.Serialization;

namespace Dockyard.Http.Health;

/// <summary>The <c>/readyz</c> body: <c>{"status":"ready","checks":{"metadata":"ok","blobs":"ok"}}</c>; a check is ok, timeout or unavailable, and the metadata check also starting (its schema is still being made).</summary>
internal sealed record Readiness(string Status, Checks Checks);

internal sealed record Checks(string Metadata, string Blobs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Readiness))]
internal sealed partial class HealthJson : JsonSerializerContext;
