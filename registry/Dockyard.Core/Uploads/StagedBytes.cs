using System.Security.Cryptography;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Uploads;

/// <summary>
/// Hashes an upload's committed bytes read back from the blob store: on a node without the cached hash state, or for a
/// digest algorithm other than the running sha256.
/// </summary>
internal static class StagedBytes
{
    /// <summary>A new <paramref name="algorithm"/> hash over the session's committed parts; the caller disposes it.</summary>
    /// <exception cref="KeyNotFoundException">The staged bytes are gone.</exception>
    public static async Task<IncrementalHash> HashAsync(IBlobStore blobs, UploadSession session, string algorithm, CancellationToken cancellationToken)
    {
        var hash = Digest.CreateHash(algorithm);
        if (session.Parts.Count == 0)
        {
            return hash;
        }
        try
        {
            await using var staged = await blobs.OpenUploadAsync(session.Id, session.Parts, cancellationToken);
            var buffer = new byte[1 << 17];
            int n;
            while ((n = await staged.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
            return hash;
        }
        catch
        {
            hash.Dispose();
            throw;
        }
    }
}
