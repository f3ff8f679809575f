using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Responses;

/// <summary>Writes a slice of a published blob as the response body: from its local file when the store has one, else streamed from the store.</summary>
public static class BlobBody
{
    private const int CopyBufferSize = 1 << 20;

    /// <exception cref="RegistryException">BLOB_UNKNOWN when the store no longer holds the blob.</exception>
    public static async Task WriteAsync(HttpResponse response, IBlobStore store, Digest digest, long offset, long length, CancellationToken cancellationToken)
    {
        using (var file = LocalFileBody.TryOpen(store.GetLocalPath(digest)))
        {
            if (file is not null)
            {
                await LocalFileBody.WriteAsync(response, file, offset, length, cancellationToken);
                return;
            }
        }
        await using var stream = await store.OpenReadAsync(digest, offset, cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.Value });
        await new BoundedReadStream(stream, length).CopyToAsync(response.Body, CopyBufferSize, cancellationToken);
    }
}
