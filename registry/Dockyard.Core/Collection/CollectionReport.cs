using Dockyard.Core.Names;

namespace Dockyard.Core.Collection;

/// <summary>
/// What one garbage collection run did (or, in a dry run, would do). The lists are filled only when the run was
/// asked for details (the CLI); scheduled runs keep the counts.
/// </summary>
public sealed class CollectionReport
{
    public bool DryRun { get; init; }

    /// <summary>False when another node held the collector's lease, so this run did nothing.</summary>
    public bool Ran { get; set; } = true;

    public int Repositories { get; set; }

    public int TagsDeleted { get; set; }

    public int ManifestsDeleted { get; set; }

    public int LinksRemoved { get; set; }

    /// <summary>Links restored for data stored before links covered every reference (manifest bytes, signatures, V1 layers).</summary>
    public int LinksRestored { get; set; }

    public int BlobsDeleted { get; set; }

    public long BytesFreed { get; set; }

    /// <summary>Blobs condemned but kept because a request linked them meanwhile.</summary>
    public int BlobsReprieved { get; set; }

    public TimeSpan Duration { get; set; }

    public List<string> DeletedTags { get; } = [];

    public List<string> DeletedManifests { get; } = [];

    public List<(Digest Digest, long Size)> DeletedBlobs { get; } = [];
}
