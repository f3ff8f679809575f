using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Http.Events;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Dockyard.Http.V2;

/// <summary>
/// <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: GET/HEAD the stored bytes (when the <see cref="IManifestPullGuard"/>
/// allows it), PUT (the fencing token header passed to <see cref="ManifestService.PutAsync(RepositoryName, ManifestReference, ReadOnlyMemory{byte}, string?, string?, CancellationToken)"/>, whose commit guard fences volume versions), DELETE. GET (not HEAD), PUT and DELETE publish a pull, push or delete event when notifications are on.
/// </summary>
public sealed class ManifestHandler(ManifestService manifests, IManifestPullGuard pullGuard, RequestEvents events)
{
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var reference = ManifestReference.Parse(values["reference"]!);
        var content = await manifests.GetAsync(name, reference, context.RequestAborted);
        await pullGuard.CheckAsync(name, content, context.RequestAborted);
        if (events.Enabled && HttpMethods.IsGet(context.Request.Method))
        {
            await events.ManifestPulledAsync(context, name, content.Record, reference.Tag);
        }
        var response = context.Response;
        var etag = $"\"{content.Record.Digest.Value}\"";
        response.ContentType = content.Record.MediaType;
        response.Headers["Docker-Content-Digest"] = content.Record.Digest.Value;
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentLength = content.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(content.Bytes, context.RequestAborted);
        }
    }

    public async Task PutAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var reference = ManifestReference.Parse(values["reference"]!);
        var body = await RequestBody.ReadAsync(context.Request, ManifestParser.MaxManifestBytes, "the manifest");
        var contentType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var fencingToken = context.Request.Headers[VolumeArtifact.FencingTokenHeader];
        var manifest = await manifests.PutAsync(name, reference, body, contentType, fencingToken.Count == 0 ? null : fencingToken.ToString(), context.RequestAborted);
        if (events.Enabled)
        {
            await events.ManifestPushedAsync(context, name, manifest, reference.Tag);
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = RegistryUrls.Manifest(context.Request, name, manifest.Digest);
        response.Headers["Docker-Content-Digest"] = manifest.Digest.Value;
        if (manifest.Subject is { } subject)
        {
            response.Headers["OCI-Subject"] = subject.Digest.Value;
        }
        response.ContentLength = 0;
    }

    public async Task DeleteAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var reference = ManifestReference.Parse(values["reference"]!);
        await manifests.DeleteAsync(name, reference, context.RequestAborted);
        if (events.Enabled)
        {
            await events.DeletedAsync(context, name, reference);
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
