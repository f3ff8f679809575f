using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;

namespace Dockyard.Core.Quotas;

/// <summary>
/// Caps the unfinished uploads one client holds open, so one account (or one address, for anonymous callers) cannot
/// fill the store with thousands of sessions. Counted in the metadata store, so the cap holds across nodes.
/// </summary>
public sealed class UploadAdmission(QuotaOptions options, IMetadataStore metadata)
{
    private const string AccountPrefix = "user:";

    /// <summary>The key uploads are counted under: the account's name, or the caller's address when anonymous.</summary>
    public static string ClientKey(string? userName, string? address) => userName is not null ? AccountPrefix + userName : "address:" + (address ?? "unknown");

    /// <summary>
    /// True when <paramref name="caller"/> (a <see cref="ClientKey"/>) may read, continue, complete or cancel an upload
    /// <paramref name="opener"/> started: an account's upload is that account's alone, whoever else may push to the
    /// repository; uploads opened anonymously (open mode, keyed by an address that may change) or by the registry itself
    /// (null) are bound to no one.
    /// </summary>
    public static bool MayContinue(string? opener, string caller) =>
        opener is null || !opener.StartsWith(AccountPrefix, StringComparison.Ordinal) || opener == caller;

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
