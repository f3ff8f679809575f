using Dockyard.Core.V1;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>
/// The Docker Registry V1 routes, most specific first. Repository names of one component mean
/// <c>library/&lt;name&gt;</c>; <c>/v1/images/…</c> routes check access in their handler (<see cref="AccessRequirement.V1Image"/>).
/// </summary>
public static class V1Routes
{
    public static IEnumerable<RouteDefinition> Create(V1UserHandler users, V1RepositoryHandler repositories, V1ImageHandler images, V1SearchHandler search)
    {
        const AccessRequirement Anyone = AccessRequirement.Anonymous;
        const AccessRequirement Pull = AccessRequirement.Pull;
        const AccessRequirement Push = AccessRequirement.Push;
        const AccessRequirement Image = AccessRequirement.V1Image;
        string get = HttpMethods.Get, post = HttpMethods.Post, put = HttpMethods.Put, delete = HttpMethods.Delete;
        // The optional trailing slash of ".../{name}/" is captured by {name}; it is no part of the name.
        static string Library(string name) => V1Names.Qualify(name.TrimEnd('/'))!;

        yield return new("v1.ping", "/v1/_ping", RouteMethods.Of((get, Anyone, V1PingHandler.GetAsync)));
        yield return new("v1.users", "/v1/users/", RouteMethods.Of((get, Anyone, users.LoginAsync), (post, Anyone, users.SignUpAsync)));
        yield return new("v1.search", "/v1/search", RouteMethods.Of((get, AccessRequirement.Catalog, search.SearchAsync)));
        yield return new("v1.image.json", "/v1/images/{id}/json", RouteMethods.Of((get, Image, images.GetJsonAsync), (put, Image, images.PutJsonAsync)));
        yield return new("v1.image.layer", "/v1/images/{id}/layer", RouteMethods.Of((get, Image, images.GetLayerAsync), (put, Image, images.PutLayerAsync)));
        yield return new("v1.image.checksum", "/v1/images/{id}/checksum", RouteMethods.Of((put, Image, images.PutChecksumAsync)));
        yield return new("v1.image.ancestry", "/v1/images/{id}/ancestry", RouteMethods.Of((get, Image, images.GetAncestryAsync)));
        yield return new("v1.repository.images", "/v1/repositories/{name}/images",
            RouteMethods.Of((get, Pull, repositories.GetImagesAsync), (put, Push, repositories.PutImagesAsync)), Library);
        yield return new("v1.repository.tags", "/v1/repositories/{name}/tags", RouteMethods.Of((get, Pull, repositories.ListTagsAsync)), Library);
        yield return new("v1.repository.tag", "/v1/repositories/{name}/tags/{tag}", RouteMethods.Of(
            (get, Pull, repositories.GetTagAsync), (put, Push, repositories.PutTagAsync), (delete, AccessRequirement.Delete, repositories.DeleteTagAsync)), Library);
        yield return new("v1.repository", "/v1/repositories/{name}/", RouteMethods.Of((put, Push, repositories.PutAsync)), Library);
    }
}
