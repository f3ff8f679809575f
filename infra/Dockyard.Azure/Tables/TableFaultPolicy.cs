using Azure.Core;
using Azure.Core.Pipeline;
using Dockyard.Core.Errors;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The first policy of every table client's pipeline, outside the SDK's retries: what still fails after them (no
/// connection, a timeout, the SDK's "Retry failed after n tries" <see cref="AggregateException"/>, a 5xx, a throttle)
/// leaves as a <see cref="StorageUnavailableException"/>, which the HTTP layer answers with 503 and Retry-After.
/// Doing it here rather than in each store covers every table call, including ones added later. Answers the stores
/// act on (404, 409 and 412 of conditional writes) pass through untouched, as does the caller's own cancellation.
/// </summary>
/// <remarks>
/// A transaction refused as a whole (throttled, server error) has that outer status and is caught here; one operation
/// failing inside it comes back in a 202 batch response, which the SDK raises as its own RequestFailedException.
/// </remarks>
internal sealed class TableFaultPolicy : HttpPipelinePolicy
{
    private const string Service = "Azure Tables";
    private const string Backend = "azuretables";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (IsUnavailable(message, e))
        {
            throw AzureFaults.Unavailable(Service, Backend, e);
        }
        ThrowIfUnavailable(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception e) when (IsUnavailable(message, e))
        {
            throw AzureFaults.Unavailable(Service, Backend, e);
        }
        ThrowIfUnavailable(message);
    }

    private static bool IsUnavailable(HttpMessage message, Exception e) =>
        !message.CancellationToken.IsCancellationRequested && AzureFaults.IsTransient(e);

    /// <summary>The retries are spent and the service still answers with a server error or a throttle.</summary>
    private static void ThrowIfUnavailable(HttpMessage message)
    {
        if (message.HasResponse && AzureFaults.IsTransientStatus(message.Response.Status))
        {
            var code = message.Response.Headers.TryGetValue("x-ms-error-code", out var value) ? " " + value : "";
            throw new StorageUnavailableException($"{Service} is unavailable: {message.Response.Status} {message.Response.ReasonPhrase}{code}", backend: Backend);
        }
    }
}
