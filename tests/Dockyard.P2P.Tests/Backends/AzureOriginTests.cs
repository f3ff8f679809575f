using Dockyard.Azure;
using Dockyard.Azure.Tables;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.P2P.Tests.Backends;

/// <summary>
/// The origin on Azure Blob with <c>[db] driver = azuretables</c> (the tracker's announcements and piece hashes in
/// Azure Tables), against the Azurite test.sh starts; a container and table prefix of its own, deleted after.
/// </summary>
public sealed class AzureOriginTests : OriginBackendTests
{
    private readonly string? connection = TestBackends.AzureConnection();
    private readonly string id = Guid.NewGuid().ToString("N")[..16];

    protected override Dictionary<string, string?>? BackendSettings => connection is null ? null : TestBackends.Azure(connection, "p2p-" + id, "p2p" + id);

    protected override async Task<IReadOnlyList<string>?> StoredAnnouncementsAsync(Digest blob) =>
        [.. (await new AzureTablePeerDistributionStore(Tables()).ListLiveAsync(blob, DateTimeOffset.UtcNow, 100, CancellationToken.None)).Select(p => p.Address)];

    private AzureTables Tables() => AzureTables.FromOptions(new AzureTableOptions { ConnectionString = connection, TablePrefix = "p2p" + id });

    protected override async Task CleanUpAsync(Digest blob)
    {
        await AzureStorageRegistration.Connect(connection!, "p2p-" + id, TimeSpan.FromSeconds(10)).DeleteIfExistsAsync();
        await Tables().DeleteTablesAsync(CancellationToken.None);
    }
}
