using Dockyard.Core.Quotas;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[quota]</c>: what one namespace may store and one client may hold open.</summary>
public sealed class QuotaSettings
{
    /// <summary>Default for <see cref="Uploads"/>: far above what docker, skopeo or crane keep open, far below a disk-filling flood.</summary>
    public const int DefaultUploads = 500;

    /// <summary><c>namespacesize</c>: MiB the repositories of one namespace may hold (blobs plus unfinished uploads); 0 means unlimited.</summary>
    public long NamespaceSize { get; set; }

    /// <summary><c>uploads</c>: unfinished uploads one account (or, anonymously, one address) may hold open; 0 means unlimited.</summary>
    public int Uploads { get; set; } = DefaultUploads;

    public QuotaOptions ToOptions() => new()
    {
        NamespaceBytes = NamespaceSize > 0 ? NamespaceSize * 1024 * 1024 : null,
        UploadsPerClient = Uploads > 0 ? Uploads : null,
    };
}
