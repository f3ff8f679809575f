using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Signatures;

namespace Dockyard.Hosting.Unsupported;

/// <summary>
/// The simple-signing store of a metadata driver that has none (<c>[db] driver = azuretables</c>): the signature
/// extension API answers 501 UNSUPPORTED naming the driver. Reading an image's signature list answers empty, so clients
/// that probe before pushing (skopeo) and pull-time policies see "no signature" instead of a failure.
/// </summary>
internal sealed class UnsupportedImageSignatureStore(string driver) : IImageSignatureStore
{
    public Task<bool> TryAddAsync(ImageSignature signature, CancellationToken cancellationToken) =>
        throw new RegistryException(RegistryErrorCode.NotImplemented, $"image signatures are not stored with [db] driver = {driver}; use sqlite");

    public Task<ImageSignature?> GetAsync(RepositoryName repository, Digest manifest, string name, CancellationToken cancellationToken) =>
        Task.FromResult<ImageSignature?>(null);

    public Task<IReadOnlyList<ImageSignature>> ListAsync(RepositoryName repository, Digest manifest, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageSignature>>([]);

    // No signature can be stored under this driver, so deleting a repository has nothing to remove here.
    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) => Task.CompletedTask;
}
