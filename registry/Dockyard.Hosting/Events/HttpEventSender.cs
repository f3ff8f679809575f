using System.Net.Http.Headers;
using Dockyard.Core.Events;

namespace Dockyard.Hosting.Events;

/// <summary>
/// POSTs envelopes with one shared <see cref="HttpClient"/> (connections pooled and recycled, no redirects followed:
/// a redirect is not a delivery). A 2xx answer is delivered; anything else, a timeout or a network error is a failure
/// with its reason, retried by <see cref="EventDelivery"/>.
/// </summary>
internal sealed class HttpEventSender : IEventSender, IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<EventSendResult> SendAsync(NotificationEndpoint endpoint, string envelope, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(envelope, MediaTypeHeaderValue.Parse(EventEnvelope.MediaType)),
        };
        foreach (var (name, value) in endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? EventSendResult.Ok : EventSendResult.Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return EventSendResult.Failed($"no answer within {endpoint.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException e)
        {
            return EventSendResult.Failed(e.Message);
        }
    }

    public void Dispose() => client.Dispose();
}
