namespace Dockyard.Core.Quotas;

/// <summary>
/// Limits on what one namespace may store and one client may hold open (runtime.conf's <c>[quota]</c>). Null means
/// unlimited.
/// </summary>
public sealed class QuotaOptions
{
    /// <summary>Bytes the repositories of one namespace may hold: linked blobs plus the bytes of its unfinished uploads; null: unlimited.</summary>
    public long? NamespaceBytes { get; init; }

    /// <summary>Unfinished uploads one account (or, anonymously, one address) may have open at once; null: unlimited.</summary>
    public int? UploadsPerClient { get; init; }
}
