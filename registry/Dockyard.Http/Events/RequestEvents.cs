using Dockyard.Core.Events;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Http.Auth;
using Dockyard.Http.V2;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Events;

/// <summary>
/// Publishes what a request did to the manifests and tags of a repository, with the request's details (id, client
/// address, Host, method, User-Agent) and its user as the actor. Handlers check <see cref="Enabled"/> first, so with no
/// endpoint configured a request does no extra work; nor does a pull when every endpoint ignores pulls.
/// </summary>
public sealed class RequestEvents(EventPublisher publisher)
{
    public bool Enabled => publisher.Enabled;

    /// <summary>A manifest was pushed, by tag (<paramref name="tag"/>) or by digest (null).</summary>
    public Task ManifestPushedAsync(HttpContext context, RepositoryName repository, ParsedManifest manifest, string? tag) =>
        !publisher.Wants(EventActions.Push) ? Task.CompletedTask
        : PublishAsync(context, EventActions.Push, Target(context, repository, manifest.Digest, manifest.MediaType, manifest.Size, tag));

    /// <summary>A manifest was sent to the client (GET), asked for by tag (<paramref name="tag"/>) or by digest (null).</summary>
    public Task ManifestPulledAsync(HttpContext context, RepositoryName repository, ManifestRecord record, string? tag) =>
        !publisher.Wants(EventActions.Pull) ? Task.CompletedTask
        : PublishAsync(context, EventActions.Pull, Target(context, repository, record.Digest, record.MediaType, record.Size, tag));

    /// <summary>A manifest (by digest, with its tags) or only a tag was deleted.</summary>
    public Task DeletedAsync(HttpContext context, RepositoryName repository, ManifestReference reference) =>
        !publisher.Wants(EventActions.Delete) ? Task.CompletedTask
        : PublishAsync(context, EventActions.Delete, new EventTarget(null, null, reference.Digest?.Value, null, repository.Value, null, reference.Tag));

    private static EventTarget Target(HttpContext context, RepositoryName repository, Digest digest, string mediaType, long size, string? tag) =>
        new(mediaType, size, digest.Value, size, repository.Value, RegistryUrls.Manifest(context.Request, repository, digest), tag);

    private Task PublishAsync(HttpContext context, string action, EventTarget target)
    {
        var connection = context.Connection;
        var address = connection.RemoteIpAddress is not { } ip ? null
            : connection.RemotePort > 0 ? new System.Net.IPEndPoint(ip, connection.RemotePort).ToString() : ip.ToString();
        var request = new EventRequest(context.TraceIdentifier, address, context.Request.Host.Value, context.Request.Method,
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
        return publisher.PublishAsync(action, target, request, AccessContext.Of(context).Principal.UserName);
    }
}
