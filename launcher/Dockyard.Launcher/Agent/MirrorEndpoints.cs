using Dockyard.Core.Names;
using Dockyard.Launcher.Registry;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The pull-only registry the engine talks to (<c>docker pull 127.0.0.1:PORT/repo:tag</c>): <c>/v2/</c>, manifests
/// proxied from the registry with the agent's credentials (manifests and tags always come from the registry), blobs
/// assembled from verified pieces. Anything else is 405/404 with the spec's error body.
/// </summary>
internal sealed class MirrorEndpoints(RegistryClient registry, BlobDelivery delivery, AgentStats stats)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await MirrorErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", "this agent is a pull-only registry");
            return;
        }
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        var path = request.Path.Value ?? "";
        if (path is "/v2" or "/v2/")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}", context.RequestAborted);
            return;
        }
        try
        {
            // Only a tag or a digest goes into the registry URL: backslashes would become slashes there and "?" a query,
            // so "..\..\..\..\uam\auth?scope=…" sent the agent user's credentials (and the answer) anywhere on the registry.
            if (Split(path, "/manifests/") is var (name, reference) && RepositoryName.TryParse(name, out var repository)
                && (Tag.IsValid(reference) || Digest.TryParse(reference, out _)))
            {
                await ManifestAsync(context, repository, reference);
            }
            else if (Split(path, "/blobs/") is var (blobName, digestText) && RepositoryName.TryParse(blobName, out var blobRepository)
                && Digest.TryParse(digestText, out var digest))
            {
                await BlobAsync(context, blobRepository, digest);
            }
            else
            {
                await MirrorErrors.WriteAsync(context, StatusCodes.Status404NotFound, "NAME_UNKNOWN", "not a manifest (by tag or digest) or blob of a valid repository");
            }
        }
        catch (LaunchException e) when (!context.Response.HasStarted)
        {
            var (status, code) = MirrorErrors.Of(e, path.Contains("/blobs/", StringComparison.Ordinal) ? "BLOB_UNKNOWN" : "MANIFEST_UNKNOWN");
            await MirrorErrors.WriteAsync(context, status, code, e.Message);
        }
    }

    private async Task ManifestAsync(HttpContext context, RepositoryName repository, string reference)
    {
        var manifest = await registry.GetManifestAsync(repository, reference, context.RequestAborted)
            ?? throw new LaunchException(LaunchFailure.ImageNotFound, $"{repository}:{reference}");
        var response = context.Response;
        response.ContentType = manifest.MediaType ?? "application/vnd.oci.image.manifest.v1+json";
        response.Headers["Docker-Content-Digest"] = manifest.Digest.Value;
        response.ContentLength = manifest.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(manifest.Bytes, context.RequestAborted);
        }
    }

    private async Task BlobAsync(HttpContext context, RepositoryName repository, Digest digest)
    {
        var response = context.Response;
        if (await delivery.PlanAsync(repository, digest, context.RequestAborted) is { } download)
        {
            response.ContentType = "application/octet-stream";
            response.Headers["Docker-Content-Digest"] = digest.Value;
            response.ContentLength = download.Pieces.Size;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await delivery.WriteAsync(download, response.Body, context.RequestAborted);
            }
            return;
        }
        // No piece hashes: a plain pull through the registry (the engine checks the digest as it always does).
        using var origin = await registry.OpenBlobAsync(repository, digest, context.RequestAborted);
        response.ContentType = "application/octet-stream";
        response.Headers["Docker-Content-Digest"] = digest.Value;
        response.ContentLength = origin.Content.Headers.ContentLength;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await using var body = await origin.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                stats.FromRegistry(read);
            }
        }
    }

    /// <summary>"/v2/a/b/manifests/x" split at the last <paramref name="marker"/>: ("a/b", "x"); null when absent.</summary>
    private static (string, string)? Split(string path, string marker)
    {
        var at = path.LastIndexOf(marker, StringComparison.Ordinal);
        return path.StartsWith("/v2/", StringComparison.Ordinal) && at > 4 && at + marker.Length < path.Length
            ? (path[4..at], path[(at + marker.Length)..])
            : null;
    }
}
