using Dockyard.Azure;
using Dockyard.Azure.Blobs;
using Dockyard.Azure.Tables;
using Dockyard.Core.Blobs;
using Dockyard.Testing;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// Azure Blob (<c>backend = azure</c>) and Azure Tables (<c>[db] driver = azuretables</c>) on the Azurite that test.sh
/// starts (DOCKYARD_TEST_AZURE_CONNECTION): a container and a table prefix of the cluster's own.
/// </summary>
public sealed record AzuriteBackend(string Connection, string Id) : ClusterBackend("azurite")
{
    public const string Variable = "DOCKYARD_TEST_AZURE_CONNECTION";

    private string Container => "cluster-" + Id;

    private string TablePrefix => "cluster" + Id;

    /// <summary>A backend over Azurite; null (a skipped test outside CI) when Azurite is not running.</summary>
    public static AzuriteBackend? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } connection)
        {
            RequiredTool.Missing("azurite", $"is not running ({Variable} is unset; infra/scripts/azurite.sh start)");
            return null;
        }
        return new AzuriteBackend(connection, Guid.NewGuid().ToString("N")[..16]);
    }

    public override IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections => new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["db"] = new Dictionary<string, string> { ["driver"] = "azuretables" },
        ["dockyard"] = new Dictionary<string, string> { ["backend"] = "azure" },
        ["azure"] = new Dictionary<string, string>
        {
            ["connectionstring"] = Connection,
            ["container"] = Container,
            ["tableprefix"] = TablePrefix,
            ["sasredirect"] = "false",
        },
    };

    public override IBlobStore OpenBlobStore() => new AzureBlobStore(Blobs(), new AzureBlobStoreOptions());

    public override async Task CleanUpAsync()
    {
        await Blobs().DeleteIfExistsAsync();
        await AzureTables.FromOptions(new AzureTableOptions { ConnectionString = Connection, TablePrefix = TablePrefix })
            .DeleteTablesAsync(CancellationToken.None);
    }

    private global::Azure.Storage.Blobs.BlobContainerClient Blobs() =>
        AzureStorageRegistration.Connect(Connection, Container, TimeSpan.FromSeconds(10));
}
