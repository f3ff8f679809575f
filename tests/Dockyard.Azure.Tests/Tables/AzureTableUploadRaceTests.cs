using Dockyard.Azure.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>Two registry nodes (two store instances over the same tables) commit a part of the same upload at once.</summary>
public sealed class AzureTableUploadRaceTests
{
    [Fact]
    public async Task Of_two_nodes_advancing_one_session_from_the_same_size_exactly_one_wins()
    {
        var tables = await Azurite.CreateTablesAsync();
        if (tables is null)
        {
            return;
        }
        try
        {
            var repository = RepositoryName.Parse("race/app");
            var nodeA = new AzureTableMetadataStore(tables).Uploads;
            var nodeB = new AzureTableMetadataStore(AzureTables.FromOptions(new AzureTableOptions
            {
                ConnectionString = Azurite.ConnectionString, TablePrefix = tables.Prefix,
            })).Uploads;
            for (var round = 0; round < 10; round++)
            {
                var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, [new UploadPart("first", 5)], DateTimeOffset.UnixEpoch);
                await nodeA.CreateAsync(session, CancellationToken.None);
                var partA = new UploadPart("a" + round, 10);
                var partB = new UploadPart("b" + round, 20);

                var results = await Task.WhenAll(
                    Task.Run(() => nodeA.TryAdvanceAsync(repository, session.Id, 5, partA, CancellationToken.None)),
                    Task.Run(() => nodeB.TryAdvanceAsync(repository, session.Id, 5, partB, CancellationToken.None)));

                Assert.Single(results, won => won);
                var winner = results[0] ? partA : partB;
                var stored = await nodeB.GetAsync(repository, session.Id, CancellationToken.None);
                Assert.Equal(session with { Parts = [session.Parts[0], winner] }, stored);
                Assert.Equal(5 + winner.Size, stored!.Size);
                // The loser's view is stale: it must re-read, and then it continues from the winner's size.
                Assert.False(await nodeA.TryAdvanceAsync(repository, session.Id, 5, new UploadPart("late", 1), CancellationToken.None));
                Assert.True(await nodeA.TryAdvanceAsync(repository, session.Id, stored.Size, new UploadPart("next", 1), CancellationToken.None));
            }
        }
        finally
        {
            await tables.DeleteTablesAsync(CancellationToken.None);
        }
    }
}
