using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary>The Docker Registry V2 / OCI distribution routes, most specific first, and the signature API extension.</summary>
public static class V2Routes
{
    public static IEnumerable<RouteDefinition> Create(BlobHandler blobs, BlobUploadHandler uploads, ManifestHandler manifests,
        TagListHandler tags, ReferrersHandler referrers, SignatureExtensionHandler signatures)
    {
        yield return new("v2.base", "/v2/", Methods((HttpMethods.Get, Authenticated, (c, _) => BaseHandler.GetAsync(c))));
        yield return new("v2.catalog", "/v2/_catalog", Methods((HttpMethods.Get, Catalog, tags.ListRepositoriesAsync)));
        yield return new("v2.tags", "/v2/{name}/tags/list", Methods((HttpMethods.Get, Pull, tags.ListTagsAsync)));
        yield return new("v2.manifest", "/v2/{name}/manifests/{reference}", Methods(
            (HttpMethods.Get, Pull, manifests.GetAsync), (HttpMethods.Put, Push, manifests.PutAsync), (HttpMethods.Delete, Delete, manifests.DeleteAsync)));
        yield return new("v2.upload.start", "/v2/{name}/blobs/uploads/", Methods((HttpMethods.Post, Push, uploads.StartAsync)));
        yield return new("v2.upload", "/v2/{name}/blobs/uploads/{uuid}", Methods(
            (HttpMethods.Get, Push, uploads.StatusAsync), (HttpMethods.Patch, Push, uploads.PatchAsync),
            (HttpMethods.Put, Push, uploads.CompleteAsync), (HttpMethods.Delete, Push, uploads.CancelAsync)));
        yield return new("v2.blob", "/v2/{name}/blobs/{digest}", Methods((HttpMethods.Get, Pull, blobs.GetAsync), (HttpMethods.Delete, Delete, blobs.DeleteAsync)));
        yield return new("v2.referrers", "/v2/{name}/referrers/{digest}", Methods((HttpMethods.Get, Pull, referrers.ListAsync)));
        // The signature API extension (OpenShift, containers/image simple signing), advertised by X-Registry-Supports-Signatures.
        yield return new("extensions.signatures", "/extensions/v2/{name}/signatures/{digest}", Methods(
            (HttpMethods.Get, Pull, signatures.GetAsync), (HttpMethods.Put, Push, signatures.PutAsync)));
    }

    private const AccessRequirement Authenticated = AccessRequirement.Authenticated;
    private const AccessRequirement Catalog = AccessRequirement.Catalog;
    private const AccessRequirement Pull = AccessRequirement.Pull;
    private const AccessRequirement Push = AccessRequirement.Push;
    private const AccessRequirement Delete = AccessRequirement.Delete;

    private static Dictionary<string, RouteEndpoint> Methods(params (string Method, AccessRequirement Access, RouteHandler Handler)[] handlers) =>
        RouteMethods.Of(handlers);
}
