using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary>
/// Absolute URLs for Location and Link headers, built from the request as the client sent it (scheme and host as
/// rewritten by the forwarded-headers middleware behind nginx), so they stay right behind a proxy.
/// </summary>
public static class RegistryUrls
{
    public static string Absolute(HttpRequest request, string path) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{path}";

    public static string Blob(HttpRequest request, RepositoryName name, Digest digest) =>
        Absolute(request, $"/v2/{name}/blobs/{digest}");

    public static string Upload(HttpRequest request, RepositoryName name, string id) =>
        Absolute(request, $"/v2/{name}/blobs/uploads/{id}");

    public static string Manifest(HttpRequest request, RepositoryName name, Digest digest) =>
        Absolute(request, $"/v2/{name}/manifests/{digest}");
}
