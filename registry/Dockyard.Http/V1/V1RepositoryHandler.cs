using System.Text.Json;
using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.V1;
using Dockyard.Http.Auth;
using Dockyard.Http.Events;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>
/// <c>/v1/repositories/&lt;ns&gt;/&lt;repo&gt;/…</c>: the index side of a V1 push (announce the images, receive a token
/// and the endpoints; finally <c>PUT …/images</c>, 204) and pull (the image list with a read token, tags). Tagging
/// publishes the push of the converted manifest when notifications are on.
/// </summary>
public sealed class V1RepositoryHandler(V1RepositoryService repositories, V1Tokens tokens, IManifestPullGuard guard, RequestEvents events, IAccountStore accounts)
{
    /// <summary><c>PUT /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/</c> <c>[{"id"},…]</c> → 200 <c>""</c>, a write token when asked for.</summary>
    public async Task PutAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        var body = await V1Json.ReadAsync(context.Request);
        await repositories.AddImagesAsync(repository, ImageIds(body), context.RequestAborted);
        await AnswerTokenAsync(context, repository, write: true);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, "");
    }

    /// <summary><c>PUT /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/images</c>: the push is complete → 204.</summary>
    public async Task PutImagesAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        var body = await V1Json.ReadAsync(context.Request);
        await repositories.AddImagesAsync(repository, ImageIds(body), context.RequestAborted);
        await AnswerTokenAsync(context, repository, write: true);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>GET /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/images</c> → <c>[{"id","checksum"?}]</c>, a read token when asked for; 404 when empty.</summary>
    public async Task GetImagesAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        // A docker 1.x pull starts here: refuse a protected repository before the client fetches anything.
        await guard.CheckUnsignableAsync(repository, "the Docker Registry V1 API", context.RequestAborted);
        var images = await repositories.ListImagesAsync(repository, context.RequestAborted);
        if (images.Count == 0)
        {
            throw new RegistryException(RegistryErrorCode.NotFound, "Repository not found", new { repository = repository.Value });
        }
        await AnswerTokenAsync(context, repository, write: false);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK,
            images.Select(i => i.Checksum is null ? new Dictionary<string, string> { ["id"] = i.Id }
                : new Dictionary<string, string> { ["id"] = i.Id, ["checksum"] = i.Checksum }).ToList());
    }

    /// <summary><c>GET /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/tags</c> → <c>{tag: imageId}</c>.</summary>
    public async Task ListTagsAsync(HttpContext context, RouteValues values)
    {
        var tags = await repositories.ListTagsAsync(RepositoryName.Parse(values["name"]), context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, tags.ToDictionary(t => t.Name, t => t.ImageId, StringComparer.Ordinal));
    }

    /// <summary><c>GET /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/tags/&lt;tag&gt;</c> → <c>"imageId"</c>.</summary>
    public async Task GetTagAsync(HttpContext context, RouteValues values)
    {
        var id = await repositories.GetTagAsync(RepositoryName.Parse(values["name"]), values["tag"]!, context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, id);
    }

    /// <summary><c>PUT /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/tags/&lt;tag&gt;</c> <c>"imageId"</c>: tags the image for V1 and V2.</summary>
    public async Task PutTagAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        var body = await V1Json.ReadAsync(context.Request);
        var id = body is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
        var tag = values["tag"]!;
        var manifest = await repositories.SetTagAsync(repository, tag, V1Names.RequireImageId(id, "body"), context.RequestAborted);
        if (events.Enabled)
        {
            // The tag's converted schema2 manifest is a V2 push like any other.
            await events.ManifestPushedAsync(context, repository, manifest, tag);
        }
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    /// <summary><c>DELETE /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/tags/&lt;tag&gt;</c> → 200 <c>true</c>.</summary>
    public async Task DeleteTagAsync(HttpContext context, RouteValues values)
    {
        await repositories.DeleteTagAsync(RepositoryName.Parse(values["name"]), values["tag"]!, context.RequestAborted);
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, true);
    }

    // X-Docker-Token: true asks for a token; X-Docker-Endpoints names where the images live (this registry, as the client reached it).
    private async Task AnswerTokenAsync(HttpContext context, RepositoryName repository, bool write)
    {
        var response = context.Response;
        if (string.Equals(context.Request.Headers["X-Docker-Token"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            var user = AccessContext.Of(context).Principal.UserName;
            var token = tokens.Issue(user ?? "", await CredentialStamp.OfAsync(accounts, user, context.RequestAborted), repository, write);
            response.Headers["X-Docker-Token"] = token;
            response.Headers.WWWAuthenticate = "Token " + token;
        }
        response.Headers["X-Docker-Endpoints"] = context.Request.Host.Value;
    }

    private static IEnumerable<string> ImageIds(JsonElement? body)
    {
        if (body is null)
        {
            return [];
        }
        if (body.Value.ValueKind != JsonValueKind.Array)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "the body must be a JSON array of {\"id\"}", new { field = "body" });
        }
        return body.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.String ? id.GetString()! : throw new RegistryException(RegistryErrorCode.InvalidField,
                "each image must be an object with a string id", new { field = "id" })).ToList();
    }
}
