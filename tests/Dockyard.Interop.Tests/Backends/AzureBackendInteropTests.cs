using Dockyard.Azure;
using Dockyard.Azure.Blobs;
using Dockyard.Azure.Tables;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Backends;

/// <summary>
/// The interop and route tests on <c>backend = azure</c> + <c>[db] driver = azuretables</c> against the Azurite that
/// test.sh starts (DOCKYARD_TEST_AZURE_CONNECTION); every test gets its own container and table prefix, deleted after.
/// </summary>
public sealed class AzureBackendInteropTests : BackendInteropTests
{
    private readonly string? connection = TestBackends.AzureConnection();

    private readonly string id = Guid.NewGuid().ToString("N")[..16];

    private string Container => "interop-" + id;

    private string TablePrefix => "interop" + id;

    protected override Dictionary<string, string?>? BackendSettings => connection is null ? null : TestBackends.Azure(connection, Container, TablePrefix);

    protected override async Task CleanUpAsync()
    {
        await Blobs().DeleteIfExistsAsync();
        await AzureTables.FromOptions(new AzureTableOptions { ConnectionString = connection, TablePrefix = TablePrefix })
            .DeleteTablesAsync(CancellationToken.None);
    }

    protected override async Task DeleteFromRemoteAsync(string digest) =>
        Assert.True(await new AzureBlobStore(Blobs(), new AzureBlobStoreOptions()).DeleteAsync(Digest.Parse(digest), CancellationToken.None));

    private global::Azure.Storage.Blobs.BlobContainerClient Blobs() =>
        AzureStorageRegistration.Connect(connection!, Container, TimeSpan.FromSeconds(10));
}
