using Dockyard.Core.Names;

namespace Dockyard.Core.Signatures;

/// <summary>
/// The index of signatures stored through the signature API extension, keyed by repository, manifest digest and
/// signature name; the signature bytes themselves are content-addressed blobs. Keyed lookups, listings scoped by
/// (repository, manifest) and conditional inserts only, so SQLite, Azure Tables, MySQL and Redis can implement it.
/// </summary>
public interface IImageSignatureStore
{
    /// <summary>Records a signature; false (and nothing changed) when the manifest already has one of that name.</summary>
    Task<bool> TryAddAsync(ImageSignature signature, CancellationToken cancellationToken);

    /// <summary>The signature <paramref name="name"/> of the manifest; null when there is none.</summary>
    Task<ImageSignature?> GetAsync(RepositoryName repository, Digest manifest, string name, CancellationToken cancellationToken);

    /// <summary>The signatures of one manifest of the repository, ordered by name (at most <paramref name="limit"/>); empty when none.</summary>
    Task<IReadOnlyList<ImageSignature>> ListAsync(RepositoryName repository, Digest manifest, int limit, CancellationToken cancellationToken);

    /// <summary>Removes every signature recorded in the repository (the blobs stay until garbage collection); no effect when it has none.</summary>
    Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken);
}
