using System.Text.Json.Serialization;

namespace Dockyard.Core.Events;

/// <summary>
/// One event as CNCF Distribution's notifications send it (docs/notifications.md): what happened (<c>action</c>) to
/// what (<c>target</c>), in answer to which request, by whom, on which registry instance.
/// </summary>
public sealed record RegistryEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("timestamp")] DateTime Timestamp,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("target")] EventTarget Target,
    [property: JsonPropertyName("request")] EventRequest Request,
    [property: JsonPropertyName("actor")] EventActor Actor,
    [property: JsonPropertyName("source")] EventSource Source);

/// <summary>The manifest or tag an event is about; absent (null) fields are left out of the JSON, as Distribution does.</summary>
public sealed record EventTarget(
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("length")] long? Length,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("tag")] string? Tag);

/// <summary>The request that caused the event: its id, the client's address, the Host it asked for, its method and User-Agent.</summary>
public sealed record EventRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("addr")] string? Addr,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("useragent")] string? UserAgent);

/// <summary>Who made the request; <c>name</c> is absent for anonymous callers and in standalone mode.</summary>
public sealed record EventActor([property: JsonPropertyName("name")] string? Name);

/// <summary>The registry instance that saw the event: its host name and an id unique to this process.</summary>
public sealed record EventSource(
    [property: JsonPropertyName("addr")] string Addr,
    [property: JsonPropertyName("instanceID")] string InstanceId);

/// <summary>The actions an event reports.</summary>
public static class EventActions
{
    public const string Push = "push";
    public const string Pull = "pull";
    public const string Delete = "delete";

    public static readonly string[] All = [Push, Pull, Delete];
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegistryEvent))]
internal sealed partial class EventJson : JsonSerializerContext;
