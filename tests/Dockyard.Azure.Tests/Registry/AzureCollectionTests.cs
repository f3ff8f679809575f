using Dockyard.Azure.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Azure.Tests.Registry;

/// <summary>
/// Garbage collection on Azure Blob with Azure Tables metadata: what it deletes is gone from the container itself,
/// and no link to it is left in the tables.
/// </summary>
public sealed class AzureCollectionTests
{
    [Fact]
    public async Task Collected_blobs_leave_no_blob_in_the_container_and_no_link_in_the_tables()
    {
        if (Azurite.ConnectionString is not { } connection)
        {
            return;
        }
        var container = Azurite.NewContainerName();
        var tables = new AzureTableOptions { ConnectionString = connection, TablePrefix = Tables.Azurite.FreshPrefix() };
        try
        {
            await using var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
            {
                ["dockyard:backend"] = "azure",
                ["db:driver"] = "azuretables",
                ["azure:connectionstring"] = connection,
                ["azure:container"] = container,
                ["azure:tableprefix"] = tables.TablePrefix,
            });

            var outcome = await CollectionScenario.RunAsync(server, "gc/app");

            Assert.Equal(outcome.Gone.Count, outcome.Report.BlobsDeleted);
            var names = new List<string>();
            await foreach (var item in Azurite.Connect(connection, container).GetBlobsAsync())
            {
                names.Add(item.Name);
            }
            var metadata = server.Services.GetRequiredService<IMetadataStore>();
            foreach (var digest in outcome.Gone)
            {
                Assert.DoesNotContain(names, n => n.Contains(digest.Hex, StringComparison.Ordinal));
                Assert.False(await metadata.BlobLinks.IsLinkedAnywhereAsync(digest, CancellationToken.None));
            }
            foreach (var digest in outcome.Kept)
            {
                Assert.Contains(names, n => n.Contains(digest.Hex, StringComparison.Ordinal));
            }
        }
        finally
        {
            await Azurite.Connect(connection, container).DeleteIfExistsAsync();
            await AzureTables.FromOptions(tables).DeleteTablesAsync(CancellationToken.None);
        }
    }
}
