namespace Dockyard.Azure.Blobs;

/// <summary>How <see cref="AzureBlobStore"/> uses its container (the <c>[azure]</c> section of runtime.conf).</summary>
public sealed record AzureBlobStoreOptions
{
    /// <summary>Answer blob GETs with a 307 to a short-lived read SAS URL (<c>[azure] sasredirect</c>).</summary>
    public bool SasRedirect { get; init; }

    /// <summary>How long a redirect's SAS URL stays valid (<c>[azure] sasexpiry</c>, seconds).</summary>
    public TimeSpan SasExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The block size parts are staged in; one such buffer per concurrent part write. 4 MiB rather than 8: the buffer is
    /// a third of what an Azure push adds to the process's peak RSS (docs/benchmarks.md, issue 14/19).
    /// </summary>
    public int BlockSize { get; init; } = 4 << 20;

    /// <summary>The largest source range one Put Block From URL copies when publishing (the service allows 100 MiB and more).</summary>
    public long CopyRangeSize { get; init; } = 100L << 20;
}
