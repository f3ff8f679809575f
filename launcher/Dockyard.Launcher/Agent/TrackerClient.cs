using System.Net.Http.Headers;
using System.Text.Json;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Dockyard.Launcher.Registry;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The registry's <c>/p2p/v1</c> API (docs/p2p.md) through the agent's <see cref="RegistryClient"/>, so it authenticates
/// exactly as pulls do: piece hashes, blob tokens, peers, announcements, the keys that verify blob tokens, and Range
/// GETs of a blob (the origin of last resort). Failures are <see cref="LaunchException"/>s.
/// </summary>
internal sealed class TrackerClient(RegistryClient registry)
{
    public async Task<BlobPieces> GetPiecesAsync(RepositoryName repository, Digest blob, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(repository, $"p2p/v1/{repository}/blobs/{blob}/pieces", HttpMethod.Get, cancellationToken, MaxPieceListBytes);
        var root = document.RootElement;
        try
        {
            var size = root.GetProperty("size").GetInt64();
            var pieceSize = root.GetProperty("pieceSize").GetInt32();
            var hashes = root.GetProperty("pieces").EnumerateArray().Select(h => h.GetString() ?? "").ToList();
            if (root.GetProperty("digest").GetString() != blob.Value || pieceSize <= 0 || size < 0
                || hashes.Count != BlobPieces.CountFor(size, pieceSize) || hashes.Any(h => h.Length != 64))
            {
                throw new LaunchException(LaunchFailure.Registry, $"the registry's piece list for {blob} does not fit the blob");
            }
            return new BlobPieces(blob, size, pieceSize, hashes);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LaunchException(LaunchFailure.Registry, $"the registry's piece list for {blob} is malformed: {e.Message}", e);
        }
    }

    public async Task<string> GetBlobTokenAsync(RepositoryName repository, Digest blob, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(repository, $"p2p/v1/{repository}/blobs/{blob}/token", HttpMethod.Post, cancellationToken);
        return document.RootElement.TryGetProperty("token", out var token) && token.GetString() is { Length: > 0 } text ? text
            : throw new LaunchException(LaunchFailure.Registry, $"the registry answered no blob token for {blob}");
    }

    /// <summary>
    /// Peer addresses (<c>host:port</c> or <c>https://host:port</c>) the tracker hands out for the blob, without this
    /// agent: at most <see cref="MaxPeers"/>, each of the form the tracker accepts
    /// (<see cref="PeerTracker.IsWellFormedAddress"/>); anything else in the answer is left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetPeersAsync(RepositoryName repository, Digest blob, string agentId, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(repository, $"p2p/v1/{repository}/blobs/{blob}/peers?agent={Uri.EscapeDataString(agentId)}", HttpMethod.Get, cancellationToken);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("peers", out var peers) && peers.ValueKind == JsonValueKind.Array
            ? [.. peers.EnumerateArray()
                .Select(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null)
                .Where(PeerTracker.IsWellFormedAddress).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxPeers)]
            : [];
    }

    /// <summary>
    /// The most peers one answer may name (the registry's own <c>[p2p] peers</c> bound): every one is asked for its
    /// bitfield at once, so a tracker (or whatever answers in its place) naming thousands must not make the agent open
    /// thousands of connections.
    /// </summary>
    public const int MaxPeers = 100;

    /// <summary>
    /// Piece lists: 64 hex characters and some JSON per piece, so over 400,000 pieces (1.6 TiB in 4 MiB pieces). A
    /// longer answer is a registry fault: the blob is then streamed from the registry as a plain pull.
    /// </summary>
    private const int MaxPieceListBytes = 32 << 20;

    public async Task AnnounceAsync(RepositoryName repository, Digest blob, string agentId, string address, TimeSpan ttl, CancellationToken cancellationToken)
    {
        using var response = await registry.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Post, $"p2p/v1/{repository}/blobs/{blob}/peers")
        {
            Content = new ByteArrayContent(Announcement(agentId, address, ttl)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        }, cancellationToken);
    }

    private static byte[] Announcement(string agentId, string address, TimeSpan ttl)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("agent", agentId);
            writer.WriteString("address", address);
            writer.WriteNumber("ttl", (int)ttl.TotalSeconds);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The issuer, audience and public keys (PEM) that verify blob tokens.</summary>
    public async Task<(string Issuer, string Audience, IReadOnlyList<string> Keys)> GetKeysAsync(RepositoryName anyRepository, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(anyRepository, "p2p/v1/keys", HttpMethod.Get, cancellationToken);
        var root = document.RootElement;
        var keys = root.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("pem").GetString()).OfType<string>().ToList();
        return (root.GetProperty("issuer").GetString() ?? "", root.GetProperty("audience").GetString() ?? "", keys);
    }

    /// <summary>Bytes [offset, offset + length) of the blob from the registry; dispose the response.</summary>
    public async Task<HttpResponseMessage> OpenRangeAsync(RepositoryName repository, Digest blob, long offset, long length, CancellationToken cancellationToken) =>
        (await registry.SendAsync(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob}");
            request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
            return request;
        }, cancellationToken))!;

    // Read whole up to a bound (a small one unless said otherwise): an answer is never more than the bound in memory.
    private async Task<JsonDocument> GetJsonAsync(RepositoryName repository, string path, HttpMethod method, CancellationToken cancellationToken,
        int limit = CappedContent.SmallJsonBytes)
    {
        using var response = (await registry.SendAsync(repository, () => new HttpRequestMessage(method, path), cancellationToken))!;
        try
        {
            return JsonDocument.Parse(await CappedContent.ReadAsync(response.Content, limit, path, cancellationToken));
        }
        catch (JsonException e)
        {
            throw new LaunchException(LaunchFailure.Registry, $"{path}: the registry answered no JSON", e);
        }
    }
}
