using Dockyard.Core.Access;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Quotas;
using Dockyard.Core.Uploads;
using Dockyard.Http.Auth;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary>
/// <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;uuid&gt;]</c>: start (or mount, or monolithic upload), PATCH chunks or a
/// stream, status, PUT to complete, DELETE to cancel. Every byte that comes in passes the namespace's storage quota
/// first, and a new session the per-client cap on unfinished uploads. A session is bound to its repository and to the
/// account that opened it: to anyone else, even a user who may push there, its UUID is unknown (404).
/// </summary>
public sealed class BlobUploadHandler(BlobUploadService uploads, NamespaceQuota quota, UploadAdmission admission, IMetadataStore metadata)
{
    public async Task StartAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var query = context.Request.Query;
        var cancellationToken = context.RequestAborted;
        if (query.TryGetValue("mount", out var mount))
        {
            var digest = Digest.Parse(mount.ToString());
            RepositoryName? from = query.TryGetValue("from", out var fromText) ? RepositoryName.Parse(fromText.ToString()) : null;
            // Mounting copies read access: the caller must be able to pull the source, else this is a plain upload.
            // Without `from` the source could be any private repository, so automatic mounts happen only in open mode.
            var access = AccessContext.Of(context);
            var mayRead = from is null
                ? ReferenceEquals(access, AccessContext.Unrestricted)
                : (await access.GetActionsAsync(from, cancellationToken)).HasFlag(RepositoryActions.Pull);
            if (quota.Enabled && mayRead && from is not null && await metadata.BlobLinks.GetAsync(from, digest, cancellationToken) is { } size)
            {
                await quota.EnsureRoomAsync(name, size, cancellationToken);
            }
            if (mayRead && await uploads.TryMountAsync(name, digest, from, cancellationToken) is not null)
            {
                Created(context, name, digest);
                return;
            }
        }
        // Parse before starting a session: an invalid digest must not leave an orphaned upload behind.
        var monolithic = query.TryGetValue("digest", out var digestText) ? Digest.Parse(digestText.ToString()) : null;
        await quota.EnsureRoomAsync(name, context.Request.ContentLength ?? 0, cancellationToken);
        var client = AccessContext.UploadClientOf(context);
        await admission.EnsureCanOpenAsync(client, cancellationToken);
        var session = await uploads.StartAsync(name, cancellationToken, client);
        if (monolithic is { } expected)
        {
            using var batching = ReceiveBatching.Start(context);
            var body = await quota.BoundAsync(name, context.Request.Body, context.Request.ContentLength, cancellationToken);
            await uploads.CompleteAsync(name, session.Id, expected, body, null, context.Request.ContentLength, cancellationToken);
            Created(context, name, expected);
            return;
        }
        Accepted(context, name, session.Id, 0, StatusCodes.Status202Accepted);
    }

    public async Task StatusAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var id = values["uuid"]!;
        var session = await uploads.GetAsync(name, id, context.RequestAborted, AccessContext.UploadClientOf(context));
        Accepted(context, name, id, session.Size, StatusCodes.Status204NoContent);
    }

    public async Task PatchAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var id = values["uuid"]!;
        using var batching = ReceiveBatching.Start(context);
        var body = await quota.BoundAsync(name, context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        var size = await ResumableAsync(context, name, id, () => uploads.AppendAsync(name, id, body,
            ContentRange.Parse(context.Request.Headers.ContentRange.ToString()), context.Request.ContentLength, context.RequestAborted,
            AccessContext.UploadClientOf(context)));
        Accepted(context, name, id, size, StatusCodes.Status202Accepted);
    }

    public async Task CompleteAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var id = values["uuid"]!;
        var digestText = context.Request.Query["digest"].ToString();
        if (string.IsNullOrEmpty(digestText))
        {
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "digest query parameter is required to complete an upload");
        }
        var digest = Digest.Parse(digestText);
        using var batching = ReceiveBatching.Start(context);
        var body = await quota.BoundAsync(name, context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        await ResumableAsync(context, name, id, () => uploads.CompleteAsync(name, id, digest, body,
            ContentRange.Parse(context.Request.Headers.ContentRange.ToString()), context.Request.ContentLength, context.RequestAborted,
            AccessContext.UploadClientOf(context)));
        Created(context, name, digest);
    }

    public async Task CancelAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        await uploads.CancelAsync(name, values["uuid"]!, context.RequestAborted, AccessContext.UploadClientOf(context));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Runs a PATCH or PUT; a 416 carries the Location and Range of the upload as it stands, so that the client can
    /// resume from there (and when the upload is gone meanwhile, the 404 is the answer).
    /// </summary>
    private async Task<long> ResumableAsync(HttpContext context, RepositoryName name, string id, Func<Task<long>> write)
    {
        try
        {
            return await write();
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.RangeInvalid)
        {
            var session = await uploads.GetAsync(name, id, context.RequestAborted, AccessContext.UploadClientOf(context));
            Accepted(context, name, id, session.Size, StatusCodes.Status416RangeNotSatisfiable);
            throw;
        }
    }

    private static void Created(HttpContext context, RepositoryName name, Digest digest)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = RegistryUrls.Blob(context.Request, name, digest);
        response.Headers["Docker-Content-Digest"] = digest.Value;
        response.ContentLength = 0;
    }

    private static void Accepted(HttpContext context, RepositoryName name, string id, long size, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = RegistryUrls.Upload(context.Request, name, id);
        // Distribution's convention: "0-0" also for an empty upload; clients resume from end + 1 only when size > 0.
        response.Headers.Range = $"0-{Math.Max(size - 1, 0)}";
        response.Headers["Docker-Upload-UUID"] = id;
        if (status != StatusCodes.Status204NoContent)
        {
            response.ContentLength = 0;
        }
    }
}
