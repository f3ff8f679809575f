using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary>The Docker Registry V2 / OCI distribution routes, most specific first.</summary>
public static class V2Routes
{
    public static IEnumerable<RouteDefinition> Create(BlobHandler blobs, BlobUploadHandler uploads, ManifestHandler manifests,
        TagListHandler tags, ReferrersHandler referrers)
    {
        yield return new("v2.base", "/v2/", Methods((HttpMethods.Get, (c, _) => BaseHandler.GetAsync(c))));
        yield return new("v2.catalog", "/v2/_catalog", Methods((HttpMethods.Get, tags.ListRepositoriesAsync)));
        yield return new("v2.tags", "/v2/{name}/tags/list", Methods((HttpMethods.Get, tags.ListTagsAsync)));
        yield return new("v2.manifest", "/v2/{name}/manifests/{reference}", Methods(
            (HttpMethods.Get, manifests.GetAsync), (HttpMethods.Put, manifests.PutAsync), (HttpMethods.Delete, manifests.DeleteAsync)));
        yield return new("v2.upload.start", "/v2/{name}/blobs/uploads/", Methods((HttpMethods.Post, uploads.StartAsync)));
        yield return new("v2.upload", "/v2/{name}/blobs/uploads/{uuid}", Methods(
            (HttpMethods.Get, uploads.StatusAsync), (HttpMethods.Patch, uploads.PatchAsync),
            (HttpMethods.Put, uploads.CompleteAsync), (HttpMethods.Delete, uploads.CancelAsync)));
        yield return new("v2.blob", "/v2/{name}/blobs/{digest}", Methods((HttpMethods.Get, blobs.GetAsync), (HttpMethods.Delete, blobs.DeleteAsync)));
        yield return new("v2.referrers", "/v2/{name}/referrers/{digest}", Methods((HttpMethods.Get, referrers.ListAsync)));
    }

    private static Dictionary<string, RouteHandler> Methods(params (string Method, RouteHandler Handler)[] handlers) =>
        handlers.ToDictionary(h => h.Method, h => h.Handler, StringComparer.OrdinalIgnoreCase);
}
