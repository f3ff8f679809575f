using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// One manifest PUT as the commit guard sees it: where it goes, the manifest already parsed (once, by
/// <see cref="ManifestService"/>'s PutAsync), and the fencing token the caller sent; null when it sent none.
/// </summary>
/// <param name="Reference">The tag or digest the manifest is put under.</param>
/// <param name="FencingToken">The raw <c>Dockyard-Volume-Fencing-Token</c> header; null when absent, unparsed otherwise.</param>
public sealed record ManifestCommit(RepositoryName Repository, ManifestReference Reference, ParsedManifest Manifest, string? FencingToken);

/// <summary>
/// Decides whether a pushed manifest may be committed. <see cref="ManifestService"/>'s PutAsync calls it twice per PUT:
/// <see cref="CheckAsync"/> before anything is stored and <see cref="ConfirmAsync"/> after the manifest is stored and
/// before its tag moves, so a right lost in between (a volume lease taken over) refuses the PUT before the tag points at
/// it. A guard that has nothing to say about a manifest returns at once, with no store round trip. The registry's guard
/// is the volume fencing rule (<c>VolumeLeaseService</c>, docs/volumes.md); <see cref="OpenCommitGuard"/> allows all.
/// </summary>
public interface IManifestCommitGuard
{
    /// <summary>Called after the manifest is parsed and its digest checked, before any byte of it is stored.</summary>
    /// <exception cref="Errors.RegistryException">A client fault (e.g. CONFLICT) when the commit is refused; nothing is stored.</exception>
    Task CheckAsync(ManifestCommit commit, CancellationToken cancellationToken);

    /// <summary>Called after the manifest is stored and linked, before any tag is set to it.</summary>
    /// <exception cref="Errors.RegistryException">
    /// A client fault when the commit is refused now: the service takes back the manifest this PUT stored (one stored
    /// earlier stays) and moves no tag.
    /// </exception>
    Task ConfirmAsync(ManifestCommit commit, CancellationToken cancellationToken);
}

/// <summary>The guard of a composition without volume leases: every commit is allowed.</summary>
public sealed class OpenCommitGuard : IManifestCommitGuard
{
    public Task CheckAsync(ManifestCommit commit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ConfirmAsync(ManifestCommit commit, CancellationToken cancellationToken) => Task.CompletedTask;
}
