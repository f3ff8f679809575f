using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;

namespace Dockyard.Core.Quotas;

/// <summary>
/// Caps the unfinished uploads one client holds open, so one account (or one address, for anonymous callers) cannot
/// fill the store with thousands of sessions. Counted in the metadata store, so the cap holds across nodes.
/// </summary>
public sealed class UploadAdmission(QuotaOptions options, IMetadataStore metadata)
{
    /// <summary>The key uploads are counted under: the account's name, or the caller's address when anonymous.</summary>
    public static string ClientKey(string? userName, string? address) => userName is not null ? "user:" + userName : "address:" + (address ?? "unknown");

    /// <exception cref="RegistryException">TOOMANYREQUESTS (429) when the client already holds the maximum of open uploads.</exception>
    public async Task EnsureCanOpenAsync(string client, CancellationToken cancellationToken)
    {
        if (options.UploadsPerClient is { } limit && await metadata.Uploads.CountByClientAsync(client, limit, cancellationToken) >= limit)
        {
            throw new RegistryException(RegistryErrorCode.TooManyRequests,
                $"too many unfinished uploads ({limit}); complete or cancel some, or wait until they expire", new { limit });
        }
    }
}
