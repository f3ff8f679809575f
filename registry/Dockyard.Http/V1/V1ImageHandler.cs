using Dockyard.Core.Access;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Quotas;
using Dockyard.Core.V1;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>
/// <c>/v1/images/&lt;id&gt;/{json,layer,checksum,ancestry}</c>. The path names no repository, and an image id means
/// something only inside one, so every request first resolves the repository it acts in: the one of the caller's V1
/// token or, without one, a repository that lists the id and grants the caller the action. A pull then reads that
/// repository's image only; a push writes that repository's image only. When no repository fits, a pull answers 404
/// whether or not the id exists elsewhere, so "not yours" and "does not exist" look the same.
/// </summary>
public sealed class V1ImageHandler(V1ImageService images, V1RepositoryService repositories, V1Tokens tokens, IManifestPullGuard guard, NamespaceQuota quota)
{
    private const string Protocol = "the Docker Registry V1 API";

    /// <summary><c>GET …/json</c>: the JSON as pushed, with <c>X-Docker-Size</c>, <c>X-Docker-Checksum</c> and <c>X-Docker-Checksum-Payload</c>.</summary>
    public async Task GetJsonAsync(HttpContext context, RouteValues values)
    {
        var (repository, id) = await ResolveAsync(context, values, RepositoryActions.Pull);
        var image = await images.GetCompleteAsync(repository, id, context.RequestAborted);
        await guard.CheckUnsignableAsync(repository, Protocol, context.RequestAborted);
        var headers = context.Response.Headers;
        if (image.Layer is { } layer)
        {
            headers["X-Docker-Size"] = layer.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["X-Docker-Checksum-Payload"] = layer.PayloadChecksum;
        }
        headers["X-Docker-Checksum"] = image.Checksum ?? image.Layer?.PayloadChecksum ?? "";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(image.Json, context.RequestAborted);
    }

    /// <summary><c>PUT …/json</c>: creates (or restarts) the image in the repository → 200; 409 <c>Image already exists</c> once complete there.</summary>
    public async Task PutJsonAsync(HttpContext context, RouteValues values)
    {
        var (repository, id) = await ResolveAsync(context, values, RepositoryActions.Push);
        await images.PutJsonAsync(repository, id, await V1Json.ReadBytesAsync(context.Request), context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>GET …/layer</c>: the layer bytes as pushed.</summary>
    public async Task GetLayerAsync(HttpContext context, RouteValues values)
    {
        var (repository, id) = await ResolveAsync(context, values, RepositoryActions.Pull);
        var image = await images.GetCompleteAsync(repository, id, context.RequestAborted);
        await guard.CheckUnsignableAsync(repository, Protocol, context.RequestAborted);
        var (content, size) = await images.OpenLayerAsync(image, context.RequestAborted);
        await using (content)
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = size;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await content.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
        }
    }

    /// <summary><c>PUT …/layer</c> (usually chunked): stored as a blob of the repository → 200.</summary>
    public async Task PutLayerAsync(HttpContext context, RouteValues values)
    {
        var (repository, id) = await ResolveAsync(context, values, RepositoryActions.Push);
        var body = await quota.BoundAsync(repository, context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        await images.PutLayerAsync(repository, id, body, context.Request.ContentLength, context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>PUT …/checksum</c> with <c>X-Docker-Checksum-Payload</c> (and <c>X-Docker-Checksum</c>): completes the image → 200; 400 on mismatch.</summary>
    public async Task PutChecksumAsync(HttpContext context, RouteValues values)
    {
        var (repository, id) = await ResolveAsync(context, values, RepositoryActions.Push);
        var headers = context.Request.Headers;
        await images.PutChecksumAsync(repository, id, NullIfEmpty(headers["X-Docker-Checksum"]), NullIfEmpty(headers["X-Docker-Checksum-Payload"]),
            context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>GET …/ancestry</c> → <c>["id", "parent", …, "base"]</c>.</summary>
    public async Task GetAncestryAsync(HttpContext context, RouteValues values)
    {
        var (repository, id) = await ResolveAsync(context, values, RepositoryActions.Pull);
        var ancestry = await images.GetAncestryAsync(repository, id, context.RequestAborted);
        await guard.CheckUnsignableAsync(repository, Protocol, context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, ancestry.Select(i => i.Id).ToList());
    }

    // Reads pass the signing policy once the image is found, just before anything of it is sent: an id docker 1.x
    // probes before pushing it still answers 404, so V1 pushes into a protected repository keep working.
    private async Task<(RepositoryName Repository, string Id)> ResolveAsync(HttpContext context, RouteValues values, RepositoryActions needed)
    {
        var id = V1Names.RequireImageId(values["id"]);
        return (await RepositoryForAsync(context, id, needed), id);
    }

    private async Task<RepositoryName> RepositoryForAsync(HttpContext context, string id, RepositoryActions needed)
    {
        var access = AccessContext.Of(context);
        var cancellationToken = context.RequestAborted;
        var tokenRepository = access.V1Repository ?? tokens.Validate(AuthorizationHeader.V1Token(context.Request))?.Repository;
        if (tokenRepository is not null)
        {
            if ((await access.GetActionsAsync(tokenRepository, cancellationToken) & needed) != needed)
            {
                throw Refused(access, needed);
            }
            if (needed == RepositoryActions.Push)
            {
                // A pusher may add images its announcement did not list (docker lists them all, but need not).
                await repositories.AddImagesAsync(tokenRepository, [id], cancellationToken);
            }
            return tokenRepository;
        }
        RepositoryName? incomplete = null;
        await foreach (var name in repositories.RepositoriesOfAsync(id, cancellationToken))
        {
            if (!RepositoryName.TryParse(name, out var repository) || (await access.GetActionsAsync(repository, cancellationToken) & needed) != needed)
            {
                continue;
            }
            if (needed != RepositoryActions.Pull)
            {
                return repository;
            }
            // Prefer a repository where the image is complete; one still being pushed answers "retry later".
            switch (await images.FindAsync(repository, id, cancellationToken))
            {
                case { Complete: true }:
                    return repository;
                case not null:
                    incomplete ??= repository;
                    break;
            }
        }
        if (needed == RepositoryActions.Pull)
        {
            return incomplete ?? throw new RegistryException(RegistryErrorCode.NotFound, "Image not found", new { id });
        }
        throw ReferenceEquals(access, AccessContext.Unrestricted)
            ? new RegistryException(RegistryErrorCode.InvalidField,
                "This image does not belong to any repository: announce it with PUT /v1/repositories/<namespace>/<repository>/ first", new { id })
            : Refused(access, needed);
    }

    private static RegistryException Refused(AccessContext access, RepositoryActions needed) => access.Principal.IsAnonymous
        ? new(RegistryErrorCode.Unauthorized, "authentication required", new { needed = RepositoryActionNames.Format(needed) })
        : new(RegistryErrorCode.Denied, "requested access to the resource is denied", new { needed = RepositoryActionNames.Format(needed) });

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 || value.ToString().Length == 0 ? null : value.ToString();
}
