using Dockyard.Core.Names;

namespace Dockyard.Core.Volumes;

/// <summary>
/// Where volume leases live: one keyed record per repository and a conditional write, so every metadata driver
/// (SQLite, MySQL, Azure Tables) can hold them. The rules (expiry, tokens, who may renew) are
/// <see cref="VolumeLeaseService"/>'s.
/// </summary>
public interface IVolumeLeaseStore
{
    /// <summary>The stored lease of <paramref name="repository"/>, expired or not; null when it was never leased.</summary>
    Task<VolumeLease?> GetAsync(RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="lease"/> if the stored record still has <paramref name="expectedRevision"/> (null: only if
    /// there is no record yet).
    /// </summary>
    /// <returns>False, writing nothing, when another write came first.</returns>
    Task<bool> TryWriteAsync(VolumeLease lease, long? expectedRevision, CancellationToken cancellationToken);
}

/// <summary>The store of a metadata driver without volume leases: every lease operation is refused with 501.</summary>
public sealed class UnavailableVolumeLeaseStore : IVolumeLeaseStore
{
    public Task<VolumeLease?> GetAsync(RepositoryName repository, CancellationToken cancellationToken) => throw Refusal();

    public Task<bool> TryWriteAsync(VolumeLease lease, long? expectedRevision, CancellationToken cancellationToken) => throw Refusal();

    private static Errors.RegistryException Refusal() =>
        new(Errors.RegistryErrorCode.NotImplemented, "this registry's metadata driver does not store volume leases");
}
