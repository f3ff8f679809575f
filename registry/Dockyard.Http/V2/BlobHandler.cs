using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Http.Responses;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Dockyard.Http.V2;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: HEAD, GET (with a single byte range) and DELETE.</summary>
public sealed class BlobHandler(BlobService blobs)
{
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var digest = Digest.Parse(values["digest"]);
        var size = await blobs.StatAsync(name, digest, context.RequestAborted);
        var response = context.Response;
        // Before any success header: a 416 must not carry the blob's year-long Cache-Control or its ETag.
        var (offset, length) = SelectRange(context.Request, size);
        response.Headers["Docker-Content-Digest"] = digest.Value;
        response.Headers.ETag = $"\"{digest.Value}\"";
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";
        if (length != size)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{size}";
        }
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        if (await blobs.Store.GetRedirectUriAsync(digest, context.RequestAborted) is { } redirect)
        {
            response.Headers.Remove(HeaderNames.ContentRange);
            response.ContentLength = null;
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers.Location = redirect.ToString();
            return;
        }
        await BlobBody.WriteAsync(response, blobs.Store, digest, offset, length, context.RequestAborted);
    }

    public async Task DeleteAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var digest = Digest.Parse(values["digest"]);
        await blobs.DeleteAsync(name, digest, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers["Docker-Content-Digest"] = digest.Value;
        context.Response.ContentLength = 0;
    }

    /// <summary>The one range served: the whole blob without a usable Range header, else the requested slice (416 when unsatisfiable).</summary>
    private static (long Offset, long Length) SelectRange(HttpRequest request, long size)
    {
        var header = request.Headers.Range.ToString();
        if (string.IsNullOrEmpty(header) || !RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return (0, size);
        }
        var range = parsed.Ranges.First();
        long offset, end;
        if (range.From is { } from)
        {
            offset = from;
            end = Math.Min(range.To ?? size - 1, size - 1);
        }
        else
        {
            offset = Math.Max(0, size - (range.To ?? 0));
            end = size - 1;
        }
        if (offset >= size || end < offset || (range.From is null && range.To is 0))
        {
            request.HttpContext.Response.Headers.ContentRange = $"bytes */{size}";
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "requested range not satisfiable", new { range = header, size });
        }
        return (offset, end - offset + 1);
    }
}
