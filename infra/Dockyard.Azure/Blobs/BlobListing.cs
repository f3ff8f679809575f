using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dockyard.Core.Blobs;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Blobs;

/// <summary>
/// Lists published blobs in digest order. Azure lists names in lexical order but cannot start after a given name, so
/// a page lists one two-hex-digit prefix (<c>blobs/sha256/ab</c>) after another, starting at the <c>after</c> digest's:
/// a page reads about 1/256 of an algorithm's blobs, not all of those before it.
/// </summary>
internal static class BlobListing
{
    // Digest order: "sha256:…" before "sha512:…", the same order as the names "blobs/sha256/…", "blobs/sha512/…".
    private static readonly string[] Algorithms = [Digest.Sha256, Digest.Sha512];

    public static async Task<IReadOnlyList<StoredBlob>> ListAsync(BlobContainerClient container, string? after, int limit, CancellationToken cancellationToken)
    {
        var found = new List<StoredBlob>();
        foreach (var algorithm in Algorithms)
        {
            if (after is not null && string.CompareOrdinal(algorithm + ":", after) < 0 && !after.StartsWith(algorithm + ":", StringComparison.Ordinal))
            {
                continue; // every digest of this algorithm sorts before after
            }
            for (var prefix = 0; prefix < 256 && found.Count < limit; prefix++)
            {
                var name = AzureBlobNames.Blobs(algorithm) + prefix.ToString("x2", CultureInfo.InvariantCulture);
                if (after is not null && string.CompareOrdinal(algorithm + ":" + name[^2..] + "\uffff", after) < 0)
                {
                    continue; // the whole prefix sorts before after
                }
                await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = name }, cancellationToken))
                {
                    if (AzureBlobNames.DigestOf(item.Name, algorithm) is not { } digest || (after is not null && string.CompareOrdinal(digest.Value, after) <= 0))
                    {
                        continue;
                    }
                    found.Add(new StoredBlob(digest, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.UtcNow));
                    if (found.Count == limit)
                    {
                        return found;
                    }
                }
            }
        }
        return found;
    }
}
