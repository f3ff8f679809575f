namespace Dockyard.Azure.Blobs;

/// <summary>How <see cref="AzureBlobStore"/> uses its container (the <c>[azure]</c> section of runtime.conf).</summary>
public sealed record AzureBlobStoreOptions
{
    /// <summary>Answer blob GETs with a 307 to a short-lived read SAS URL (<c>[azure] sasredirect</c>).</summary>
    public bool SasRedirect { get; init; }

    /// <summary>How long a redirect's SAS URL stays valid (<c>[azure] sasexpiry</c>, seconds).</summary>
    public TimeSpan SasExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The block size parts are staged in; one such buffer per concurrent part write.</summary>
    public int BlockSize { get; init; } = 8 << 20;

    /// <summary>The largest source range one Put Block From URL copies when publishing (the service allows 100 MiB and more).</summary>
    public long CopyRangeSize { get; init; } = 100L << 20;
}
