using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dockyard.Http.Health;

/// <summary>
/// <c>/healthz</c>: the process answers (always 200). <c>/readyz</c>: the metadata store and the blob store both answer
/// a cheap read (a one-row repository listing, a stat of a digest no blob has) within <see cref="ProbeTimeout"/>; 503
/// with a JSON body naming the part that did not. The metadata store is <c>starting</c> while its preparation (the
/// SQLite schema, <see cref="IStorePreparation"/>) is still running at the timeout. The reason for a failure is logged,
/// not shown to the anonymous caller.
/// </summary>
public sealed partial class HealthHandler(IMetadataStore metadata, IBlobStore blobs, IEnumerable<IStorePreparation> preparations, ILogger<HealthHandler> logger)
{
    private readonly IStorePreparation[] preparations = [.. preparations];

    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly byte[] Alive = "ok\n"u8.ToArray();
    private static readonly Digest Absent = Digest.Parse("sha256:" + new string('0', 64));

    public static Task LiveAsync(HttpContext context, RouteValues _)
    {
        var response = context.Response;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = Alive.Length;
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(Alive, context.RequestAborted).AsTask();
    }

    public async Task ReadyAsync(HttpContext context, RouteValues _)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(ProbeTimeout);
        var metadataProbe = ProbeMetadataAsync(timeout.Token);
        var blobProbe = ProbeAsync("blobs", async ct => await blobs.StatAsync(Absent, ct), timeout.Token);
        var (metadataState, blobState) = (await metadataProbe, await blobProbe);
        context.RequestAborted.ThrowIfCancellationRequested();
        var ready = metadataState == "ok" && blobState == "ok";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Readiness(ready ? "ready" : "unavailable", new Checks(metadataState, blobState)), HealthJson.Default.Readiness);
        var response = context.Response;
        response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <returns>ok, starting, timeout or unavailable.</returns>
    private async Task<string> ProbeMetadataAsync(CancellationToken cancellationToken)
    {
        foreach (var preparation in preparations.Where(p => !p.IsPrepared))
        {
            var state = await ProbeAsync("metadata", ct => preparation.PrepareAsync().WaitAsync(ct), cancellationToken);
            if (state != "ok")
            {
                return state == "timeout" ? "starting" : state;
            }
        }
        return await ProbeAsync("metadata", async ct => await metadata.Repositories.ListAsync(null, 1, ct), cancellationToken);
    }

    /// <returns>ok, timeout or unavailable.</returns>
    private async Task<string> ProbeAsync(string part, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        try
        {
            await probe(cancellationToken);
            return "ok";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogNotReady(logger, part, $"no answer within {ProbeTimeout.TotalSeconds} s");
            return "timeout";
        }
        catch (Exception e)
        {
            // Any failure means not ready; the readiness answer is the place that must not throw.
            LogNotReady(logger, part, e.Message);
            return "unavailable";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "not ready: the {Part} store failed its probe: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string part, string reason);
}
