using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Launcher.Agent;

/// <summary>What asking one peer for one piece gave.</summary>
internal enum PeerAnswer
{
    /// <summary>The bytes arrived (not yet verified).</summary>
    Bytes,
    /// <summary>The peer does not hold the piece (yet): ask another, no penalty.</summary>
    Missing,
    /// <summary>The peer is fetching the piece from the registry now: worth asking again shortly.</summary>
    Fetching,
    /// <summary>Refused, cut off, too slow or unreachable.</summary>
    Failed,
    /// <summary>Every upload slot of the peer is taken: ask another holder, or again shortly; no penalty.</summary>
    Busy,
}

/// <summary>
/// Fetches one piece from one peer's endpoint (<c>GET /p2p/v1/pieces/&lt;digest&gt;/&lt;index&gt;</c> with the blob
/// token), reading at most the piece's length plus one byte, so a peer can never make the agent hold more. A peer
/// announced as <c>https://host:port</c> is asked over TLS, its certificate checked against the configured CAs (the
/// machine's store when none are).
/// </summary>
/// <param name="authorities">The CAs peers' certificates must chain to; null for the machine's trust store.</param>
internal sealed class PeerPieceClient(TimeSpan timeout, X509Certificate2Collection? authorities = null) : IDisposable
{
    private readonly HttpClient http = new(Handler(authorities)) { Timeout = Timeout.InfiniteTimeSpan };

    private static SocketsHttpHandler Handler(X509Certificate2Collection? authorities)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), AllowAutoRedirect = false };
        if (authorities is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => PeerTls.Validate(authorities, certificate, errors);
        }
        return handler;
    }

    /// <summary>The URL of a piece at a peer announced as <c>host:port</c> (plain HTTP) or <c>https://host:port</c>.</summary>
    public static string PieceUrl(string peer, Digest blob, int index) => BitfieldUrl(peer, blob) + $"/{index}";

    public async Task<(PeerAnswer Answer, byte[]? Bytes, string Reason)> FetchAsync(string peer, Digest blob, int index, int length, string token,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, PieceUrl(peer, blob, index));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return HeaderSays(response, PiecesInFlight.Fetching)
                    ? (PeerAnswer.Fetching, null, "fetching") : (PeerAnswer.Missing, null, "not held");
            }
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && HeaderSays(response, PieceServer.Busy))
            {
                return (PeerAnswer.Busy, null, "busy");
            }
            if (!response.IsSuccessStatusCode)
            {
                return (PeerAnswer.Failed, null, $"HTTP {(int)response.StatusCode}");
            }
            return (PeerAnswer.Bytes, await ReadPieceAsync(response, length, deadline.Token), "");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (PeerAnswer.Failed, null, $"no piece within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (PeerAnswer.Failed, null, e.Message);
        }
    }

    /// <summary>Which pieces of the blob the peer holds and is fetching; null, with the reason, when it did not say.</summary>
    public async Task<(PieceBitfield? Bitfield, string Reason)> FetchBitfieldAsync(string peer, Digest blob, int count, string token, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(BitfieldTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, BitfieldUrl(peer, blob));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode}");
            }
            // Bounded: two bit strings of a blob's pieces in base64 (each character at most a 6-byte JSON escape) and a
            // few bytes of JSON around them.
            var (buffer, read) = await ReadAtMostAsync(response, (2 * count) + 1024, deadline.Token);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, read));
            var held = PieceBitfield.Decode(Text(document, "held"), count);
            var fetching = PieceBitfield.Decode(Text(document, "fetching"), count);
            return held is null || fetching is null ? (null, "a malformed bitfield") : (new PieceBitfield(held, fetching), "");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no bitfield within {BitfieldTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The piece's bytes, read straight into an array of its length (no second copy of 4 MiB per piece); one byte more
    /// than that, or fewer, is a wrong piece too: the caller's hash check rejects what this returns and bans the peer.
    /// </summary>
    private static async Task<byte[]> ReadPieceAsync(HttpResponseMessage response, int length, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // Not zeroed first (4 MiB per piece): a short read returns a copy of what was read, never the rest.
        var buffer = GC.AllocateUninitializedArray<byte>(length);
        var read = await FillAsync(body, buffer, cancellationToken);
        var extra = new byte[1];
        return read < length ? buffer[..read] : await body.ReadAsync(extra, cancellationToken) > 0 ? [.. buffer, .. extra] : buffer;
    }

    // Never more than the limit, whatever the peer sends or claims in Content-Length.
    private static async Task<(byte[] Buffer, int Read)> ReadAtMostAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        return (buffer, await FillAsync(body, buffer, cancellationToken));
    }

    // Reads until the buffer is full or the body ends; how many bytes it read.
    private static async Task<int> FillAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer[read..], cancellationToken)) > 0)
        {
            read += n;
        }
        return read;
    }

    private static readonly TimeSpan BitfieldTimeout = TimeSpan.FromSeconds(5);

    private static string? Text(JsonDocument document, string name) =>
        document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    /// <summary>The URL of the blob's bitfield at a peer announced as <c>host:port</c> or <c>https://host:port</c>.</summary>
    public static string BitfieldUrl(string peer, Digest blob) =>
        (peer.StartsWith(PeerTracker.TlsScheme, StringComparison.Ordinal) ? peer : "http://" + peer) + $"/p2p/v1/pieces/{blob}";

    private static bool HeaderSays(HttpResponseMessage response, string value) =>
        response.Headers.TryGetValues(PiecesInFlight.Header, out var values) && values.Contains(value);

    public void Dispose() => http.Dispose();
}
