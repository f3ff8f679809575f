using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Quotas;

/// <summary>
/// The per-namespace storage quota. A namespace (a repository name's first component) uses the sizes of the blobs
/// linked into its repositories — a blob linked into two of them counts twice, as each can be deleted on its own —
/// plus the bytes committed to its unfinished uploads, so data cannot pile up in uploads that never complete. Every
/// write that adds bytes asks first: upload start, each chunk (bounded to the room left, whatever the framing),
/// mounts, ACI pushes. Concurrent writers may together overshoot by what they had in flight; the next write is refused.
/// </summary>
public sealed class NamespaceQuota(QuotaOptions options, IMetadataStore metadata)
{
    /// <summary>True when a namespace quota is configured (callers skip the lookups a check needs otherwise).</summary>
    public bool Enabled => options.NamespaceBytes is not null;

    /// <summary>The bytes the repository's namespace may still take; null when there is no quota.</summary>
    public async Task<long?> RoomAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        if (options.NamespaceBytes is not { } limit)
        {
            return null;
        }
        return Math.Max(0, limit - await UsedAsync(NamespaceOf(repository), cancellationToken));
    }

    /// <summary>
    /// What the namespace stores as the quota counts it, with the configured limit (null: no quota). Two sums over the
    /// namespace's links and uploads: an index range read on SQL stores, a partition range query on Azure Tables.
    /// </summary>
    public async Task<NamespaceUsage> UsageAsync(string @namespace, CancellationToken cancellationToken) =>
        new(@namespace, await UsedAsync(@namespace, cancellationToken), options.NamespaceBytes);

    private async Task<long> UsedAsync(string @namespace, CancellationToken cancellationToken) =>
        await metadata.BlobLinks.SumSizesAsync(@namespace, cancellationToken) + await metadata.Uploads.SumSizesAsync(@namespace, cancellationToken);

    /// <exception cref="RegistryException">QUOTA_EXCEEDED (413) when <paramref name="bytes"/> more would not fit; a full namespace refuses even 0.</exception>
    public async Task EnsureRoomAsync(RepositoryName repository, long bytes, CancellationToken cancellationToken)
    {
        if (await RoomAsync(repository, cancellationToken) is { } room && (bytes > room || room == 0))
        {
            throw Exceeded(repository);
        }
    }

    /// <summary>
    /// The body, cut off with QUOTA_EXCEEDED once it brings more than the room left (checked now); the body itself
    /// when there is no quota. A declared Content-Length beyond the room is refused before anything is read.
    /// </summary>
    public async Task<Stream> BoundAsync(RepositoryName repository, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        if (await RoomAsync(repository, cancellationToken) is not { } room)
        {
            return body;
        }
        if (contentLength > room)
        {
            throw Exceeded(repository);
        }
        return new QuotaBoundedStream(body, room, () => Exceeded(repository));
    }

    /// <summary>The body, cut off with QUOTA_EXCEEDED once it brings more than <paramref name="room"/> bytes (what the caller found left).</summary>
    public Stream Bound(RepositoryName repository, Stream body, long room) => new QuotaBoundedStream(body, room, () => Exceeded(repository));

    /// <summary>The namespace of a repository: its first path component (the whole name for a one-component one).</summary>
    public static string NamespaceOf(RepositoryName repository)
    {
        var slash = repository.Value.IndexOf('/');
        return slash < 0 ? repository.Value : repository.Value[..slash];
    }

    private RegistryException Exceeded(RepositoryName repository) =>
        new(RegistryErrorCode.QuotaExceeded, $"namespace '{NamespaceOf(repository)}' is over its storage quota of {options.NamespaceBytes} bytes",
            new { @namespace = NamespaceOf(repository), quota = options.NamespaceBytes });
}
