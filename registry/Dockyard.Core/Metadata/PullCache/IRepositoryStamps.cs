using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>
/// A stamp per repository that every node sharing the metadata store can read, changing with every write to the
/// repository's tags or manifests: what lets a node serve a pull from its own memory and still never serve what a
/// write on another node has replaced (see <see cref="PullCachedMetadataStore"/> and docs/cluster rule in conf/README.md).
/// </summary>
public interface IRepositoryStamps
{
    /// <summary>
    /// The repository's stamp now: a value never handed out before any write to its tags or manifests that finished
    /// (its <see cref="EndWriteAsync"/> returned) before this call began. Null when no stamp can be trusted now (a
    /// write is under way, none was set yet, or the shared store does not answer): the caller then reads the metadata
    /// store and caches nothing. Never throws for an unreachable store.
    /// </summary>
    ValueTask<string?> CurrentAsync(RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a write to the repository's tags or manifests as under way: until the matching <see cref="EndWriteAsync"/>
    /// (or, when that never comes, the mark's expiry) <see cref="CurrentAsync"/> answers null on every node.
    /// </summary>
    /// <exception cref="Errors.StorageUnavailableException">The mark could not be set; the write must not happen.</exception>
    Task BeginWriteAsync(RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a write begun by <see cref="BeginWriteAsync"/>, once its outcome is in the metadata store: when no other
    /// write is under way, the repository gets a fresh stamp. Never throws: a mark that cannot be cleared expires.
    /// </summary>
    Task EndWriteAsync(RepositoryName repository);
}
