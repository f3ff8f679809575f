using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.V1;

namespace Dockyard.Hosting.Unsupported;

/// <summary>
/// The Docker Registry V1 store of a metadata driver that has none (<c>[db] driver = azuretables</c>): every V1 route
/// answers 501 UNSUPPORTED naming the driver, while V2 and UAM work. Nothing is kept in process memory or a temp
/// folder, so hosts stay stateless.
/// </summary>
internal sealed class UnsupportedV1ImageStore(string driver) : IV1ImageStore
{
    private RegistryException Fault() =>
        new(RegistryErrorCode.NotImplemented, $"the Docker Registry V1 API is not available with [db] driver = {driver}; use sqlite or the V2 API");

    public Task<V1Image?> GetImageAsync(RepositoryName repository, string id, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> TryPutIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> TryUpdateIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken) => throw Fault();

    public Task AddRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken) => throw Fault();

    public Task<IReadOnlyList<string>> ListRepositoryImagesAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        throw Fault();

    public Task<IReadOnlyList<string>> ListImageRepositoriesAsync(string imageId, string? after, int limit, CancellationToken cancellationToken) =>
        throw Fault();

    public Task<string?> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) => throw Fault();

    public Task SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken) => throw Fault();

    public Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) => throw Fault();

    public Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) => throw Fault();

    // Nothing V1 can exist under this driver, so deleting a repository (through V2 or UAM) has nothing to remove here.
    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) => Task.CompletedTask;
}
