using Dockyard.Core.Access;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.V1;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>
/// <c>/v1/images/&lt;id&gt;/{json,layer,checksum,ancestry}</c>. The path names no repository, so access goes through the
/// repository of the caller's V1 token (a push token also lists the image there) or, without one, any repository that
/// lists the image and grants the caller the action.
/// </summary>
public sealed class V1ImageHandler(V1ImageService images, V1RepositoryService repositories, V1Tokens tokens)
{
    /// <summary><c>GET …/json</c>: the JSON as pushed, with <c>X-Docker-Size</c>, <c>X-Docker-Checksum</c> and <c>X-Docker-Checksum-Payload</c>.</summary>
    public async Task GetJsonAsync(HttpContext context, RouteValues values)
    {
        var id = V1Names.RequireImageId(values["id"]);
        await AuthorizeAsync(context, id, RepositoryActions.Pull);
        var image = await images.GetCompleteAsync(id, context.RequestAborted);
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

    /// <summary><c>PUT …/json</c>: creates (or restarts) the image → 200; 409 <c>Image already exists</c> once complete.</summary>
    public async Task PutJsonAsync(HttpContext context, RouteValues values)
    {
        var id = V1Names.RequireImageId(values["id"]);
        await AuthorizeAsync(context, id, RepositoryActions.Push, imageMayBeNew: true);
        await images.PutJsonAsync(id, await V1Json.ReadBytesAsync(context.Request), context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>GET …/layer</c>: the layer bytes as pushed.</summary>
    public async Task GetLayerAsync(HttpContext context, RouteValues values)
    {
        var id = V1Names.RequireImageId(values["id"]);
        await AuthorizeAsync(context, id, RepositoryActions.Pull);
        var image = await images.GetCompleteAsync(id, context.RequestAborted);
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

    /// <summary><c>PUT …/layer</c> (usually chunked): stored as a blob of the authorizing repository → 200.</summary>
    public async Task PutLayerAsync(HttpContext context, RouteValues values)
    {
        var id = V1Names.RequireImageId(values["id"]);
        var repository = await AuthorizeAsync(context, id, RepositoryActions.Push)
            ?? throw new RegistryException(RegistryErrorCode.InvalidField,
                "This image does not belong to any repository: announce it with PUT /v1/repositories/<namespace>/<repository>/ first", new { id });
        await images.PutLayerAsync(repository, id, context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>PUT …/checksum</c> with <c>X-Docker-Checksum-Payload</c> (and <c>X-Docker-Checksum</c>): completes the image → 200; 400 on mismatch.</summary>
    public async Task PutChecksumAsync(HttpContext context, RouteValues values)
    {
        var id = V1Names.RequireImageId(values["id"]);
        await AuthorizeAsync(context, id, RepositoryActions.Push);
        var headers = context.Request.Headers;
        await images.PutChecksumAsync(id, NullIfEmpty(headers["X-Docker-Checksum"]), NullIfEmpty(headers["X-Docker-Checksum-Payload"]), context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>GET …/ancestry</c> → <c>["id", "parent", …, "base"]</c>.</summary>
    public async Task GetAncestryAsync(HttpContext context, RouteValues values)
    {
        var id = V1Names.RequireImageId(values["id"]);
        await AuthorizeAsync(context, id, RepositoryActions.Pull);
        var ancestry = await images.GetAncestryAsync(id, context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, ancestry.Select(i => i.Id).ToList());
    }

    /// <summary>The repository through which the caller may act on the image; null in standalone mode when no repository lists it.</summary>
    /// <param name="imageMayBeNew">True for <c>PUT …/json</c>; every other route answers 404 for an unknown image first.</param>
    private async Task<RepositoryName?> AuthorizeAsync(HttpContext context, string id, RepositoryActions needed, bool imageMayBeNew = false)
    {
        var access = AccessContext.Of(context);
        var cancellationToken = context.RequestAborted;
        if (!imageMayBeNew)
        {
            await images.RequireAsync(id, cancellationToken);
        }
        var tokenRepository = access.V1Repository ?? tokens.Validate(AuthorizationHeader.V1Token(context.Request))?.Repository;
        if (tokenRepository is not null)
        {
            if ((await access.GetActionsAsync(tokenRepository, cancellationToken) & needed) != needed)
            {
                throw Refused(access, needed);
            }
            if (!await repositories.HoldsAsync(tokenRepository, id, cancellationToken))
            {
                if (needed != RepositoryActions.Push)
                {
                    throw new RegistryException(RegistryErrorCode.NotFound, "Image not found", new { id, repository = tokenRepository.Value });
                }
                // A pusher may add images its announcement did not list (docker lists them all, but need not).
                await repositories.AddImagesAsync(tokenRepository, [id], cancellationToken);
            }
            return tokenRepository;
        }
        await foreach (var name in repositories.RepositoriesOfAsync(id, cancellationToken))
        {
            if (RepositoryName.TryParse(name, out var repository) && (await access.GetActionsAsync(repository, cancellationToken) & needed) == needed)
            {
                return repository;
            }
        }
        return ReferenceEquals(access, AccessContext.Unrestricted) ? null : throw Refused(access, needed);
    }

    private static RegistryException Refused(AccessContext access, RepositoryActions needed) => access.Principal.IsAnonymous
        ? new(RegistryErrorCode.Unauthorized, "authentication required", new { needed = RepositoryActionNames.Format(needed) })
        : new(RegistryErrorCode.Denied, "requested access to the resource is denied", new { needed = RepositoryActionNames.Format(needed) });

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 || value.ToString().Length == 0 ? null : value.ToString();
}
