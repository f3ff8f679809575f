using Dockyard.Core.Appc;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Hosting.Unsupported;

/// <summary>
/// The appc store of a metadata driver that has none (<c>[db] driver = azuretables</c>): pushes, fetches and key
/// uploads answer 501 UNSUPPORTED naming the driver. Discovery and <c>/pubkeys</c> (the configured key folder) need no
/// store and keep working. There being no pushes, the purge finds none to list.
/// </summary>
internal sealed class UnsupportedAciStore(string driver) : IAciStore
{
    private RegistryException Fault() =>
        new(RegistryErrorCode.NotImplemented, $"appc (rkt) images are not available with [db] driver = {driver}; use sqlite");

    public Task<AciImage?> GetAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> TryAddAsync(AciImage image, CancellationToken cancellationToken) => throw Fault();

    public Task<IReadOnlyList<AciImage>> ListAsync(RepositoryName repository, (string Version, string Os, string Arch)? after, int limit,
        CancellationToken cancellationToken) => throw Fault();

    public Task<bool> DeleteAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> TryCreateUploadAsync(AciUpload upload, CancellationToken cancellationToken) => throw Fault();

    public Task<AciUpload?> GetUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> TryUpdateUploadAsync(AciUpload expected, AciUpload upload, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> DeleteUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken) => throw Fault();

    public Task<IReadOnlyList<AciUpload>> ListUploadsStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AciUpload>>([]);

    public Task<bool> TryAddKeyAsync(AciPublicKey key, CancellationToken cancellationToken) => throw Fault();

    public Task<IReadOnlyList<AciPublicKey>> ListKeysAsync(RepositoryName repository, CancellationToken cancellationToken) => throw Fault();

    public Task<AciConversion?> GetConversionAsync(RepositoryName repository, Digest manifest, CancellationToken cancellationToken) => throw Fault();

    public Task PutConversionAsync(AciConversion conversion, CancellationToken cancellationToken) => throw Fault();

    // Nothing appc can exist under this driver, so deleting a repository has nothing to remove here.
    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) => Task.CompletedTask;
}
