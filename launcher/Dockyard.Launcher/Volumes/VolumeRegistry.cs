using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Launcher.Registry;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The registry operations a volume needs on top of <see cref="RegistryClient"/>: blob presence, monolithic blob
/// uploads (packs, indexes), range reads, manifest writes carrying the fencing token, tag listing and deletes. Counts the bytes it uploads.
/// </summary>
internal sealed class VolumeRegistry(RegistryClient client, RepositoryName repository)
{
    private const string Write = "pull,push";

    public RegistryClient Client => client;

    public RepositoryName Repository => repository;

    /// <summary>The keys the volume is encrypted for and opened with on this host; none by default (plain versions only).</summary>
    public VolumeKeys Keys { get; init; } = VolumeKeyPaths.None.Load();

    private long uploadedBytes;
    private int uploadedBlobs;

    /// <summary>Bytes of blobs (chunks and indexes) this instance uploaded; uploads run in parallel (<see cref="PackWriter"/>).</summary>
    public long UploadedBytes => Interlocked.Read(ref uploadedBytes);

    public int UploadedBlobs => Volatile.Read(ref uploadedBlobs);

    public async Task<bool> HasBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"),
            cancellationToken, missingIsNull: true, Write);
        return response is not null;
    }

    /// <summary>Uploads <paramref name="content"/> as blob <paramref name="digest"/> (POST, then one PUT with the body).</summary>
    public async Task PushBlobAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Uri location;
        using (var started = await client.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/"),
            cancellationToken, actions: Write))
        {
            location = started!.Headers.Location ?? throw new LaunchException(LaunchFailure.Registry, "the registry started an upload without a Location");
        }
        var separator = location.OriginalString.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var target = location.OriginalString + separator + "digest=" + Uri.EscapeDataString(digest.Value);
        using var _ = await client.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Put, target)
        {
            Content = new ReadOnlyMemoryContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        }, cancellationToken, actions: Write);
        Interlocked.Add(ref uploadedBytes, content.Length);
        Interlocked.Increment(ref uploadedBlobs);
    }

    /// <summary>
    /// <paramref name="length"/> bytes of blob <paramref name="blob"/> from <paramref name="offset"/>, by a range request
    /// (a registry that answers the whole blob instead is read past the bytes before). Unchecked: the caller checks the
    /// digests of what it holds.
    /// </summary>
    /// <exception cref="LaunchException">The blob ends before the range does.</exception>
    public async Task<byte[]> ReadRangeAsync(Digest blob, long offset, int length, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob}")
        {
            Headers = { Range = new RangeHeaderValue(offset, offset + length - 1) },
        }, cancellationToken);
        await using var input = await response!.Content.ReadAsStreamAsync(cancellationToken);
        var content = new byte[length];
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            for (var skipped = 0L; skipped < offset;)
            {
                var read = await input.ReadAsync(content.AsMemory(0, (int)Math.Min(length, offset - skipped)), cancellationToken);
                skipped += read > 0 ? read : throw new LaunchException(LaunchFailure.Registry, $"blob {blob} ends before byte {offset}");
            }
        }
        return await input.ReadAtLeastAsync(content, length, throwOnEndOfStream: false, cancellationToken) == length ? content
            : throw new LaunchException(LaunchFailure.Registry, $"blob {blob} ends before byte {offset + length}");
    }

    /// <summary>Stores a volume manifest under <paramref name="tag"/>, fenced by <paramref name="token"/> (409 when stale).</summary>
    public async Task<Digest> PutManifestAsync(string tag, byte[] manifest, long token, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{tag}")
            {
                Content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest) } },
            };
            request.Headers.Add(VolumeArtifact.FencingTokenHeader, token.ToString(CultureInfo.InvariantCulture));
            return request;
        }, cancellationToken, actions: Write);
        return Digest.Compute(manifest);
    }

    public async Task DeleteManifestAsync(Digest digest, CancellationToken cancellationToken)
    {
        using var _ = await client.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Delete, $"v2/{repository}/manifests/{digest}"),
            cancellationToken, missingIsNull: true, "pull,push,delete");
    }

    /// <summary>The repository's tags; empty when it does not exist yet.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/tags/list?n=10000"),
            cancellationToken, missingIsNull: true);
        if (response is null)
        {
            return [];
        }
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == System.Text.Json.JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString() ?? "").ToList() : [];
    }
}
