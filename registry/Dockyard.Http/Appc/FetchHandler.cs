using Dockyard.Core.Appc;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Http.Responses;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Appc;

/// <summary>
/// <c>GET /appc/&lt;name&gt;/fetch/&lt;base&gt;-&lt;version&gt;-&lt;os&gt;-&lt;arch&gt;.aci[.asc]</c>: a pushed ACI and its signature
/// as they were pushed; without a pushed ACI, the Docker/OCI image tagged <c>version</c> converted to an (unsigned) ACI.
/// Both pass the signing policy's pull guard first, as a V2 pull would.
/// </summary>
public sealed class FetchHandler(IAciStore store, IBlobStore blobs, AciConverter converter, AppcNames names, IManifestPullGuard guard)
{
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        if (!AciFileName.TryParse(values["file"], AppcNames.BaseName(repository), out var file, out var signature))
        {
            throw new RegistryException(RegistryErrorCode.NotFound, $"not an ACI file name of this repository: expected {AppcNames.BaseName(repository)}-<version>-<os>-<arch>.aci[.asc]",
                new { file = values["file"] });
        }
        var ct = context.RequestAborted;
        if (await store.GetAsync(repository, file.Version, file.Os, file.Arch, ct) is { } image)
        {
            await guard.CheckAciAsync(repository, image, ct);
            await SendBlobAsync(context, signature ? image.Signature : image.Aci, signature ? "application/pgp-signature" : "application/octet-stream");
            return;
        }
        if (signature)
        {
            throw new RegistryException(RegistryErrorCode.NotFound,
                "no signature: ACIs converted from Docker/OCI images are unsigned (rkt needs --insecure-options=image)", new { file = values["file"] });
        }
        var conversion = await converter.ConvertAsync(repository, names.AppName(context.Request, repository), file.Version, file.Os, file.Arch, ct);
        await SendBlobAsync(context, conversion.Aci, "application/octet-stream");
    }

    private async Task SendBlobAsync(HttpContext context, Digest digest, string contentType)
    {
        var size = await blobs.StatAsync(digest, context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.Value });
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = size;
        response.Headers.ETag = $"\"{digest.Value}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        await BlobBody.WriteAsync(response, blobs, digest, 0, size, context.RequestAborted);
    }
}
