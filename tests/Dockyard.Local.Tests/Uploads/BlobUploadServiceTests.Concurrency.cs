using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Local.Tests.Uploads;

/// <summary>Two nodes racing on one upload: one chunk is committed, and the committed bytes are that chunk's.</summary>
public sealed partial class BlobUploadServiceTests
{
    // Each append writes its own part; only the part committed by the metadata store's conditional write counts, so
    // the loser (416) never touches the winner's bytes. This once failed with DIGEST_INVALID, when appends shared one
    // staging file that the loser truncated and overwrote.
    [Fact]
    public async Task Of_two_nodes_appending_at_the_same_offset_one_wins_and_its_bytes_are_kept()
    {
        for (var round = 0; round < 100; round++)
        {
            var session = await service.StartAsync(Repo, Ct);
            var a = Content(200_000, seed: 100 + round);
            var b = Content(200_000, seed: 200 + round);
            var nodeA = NewNode();
            var nodeB = NewNode();

            var results = await Task.WhenAll(
                Task.Run(() => Attempt(() => AppendAsync(nodeA, session.Id, a, 0))),
                Task.Run(() => Attempt(() => AppendAsync(nodeB, session.Id, b, 0))));

            Assert.True(results.Count(r => r is null) == 1, string.Join(" | ", results.Select(r => r?.GetType().Name + ":" + r?.Message)));
            Assert.All(results.OfType<RegistryException>(), e => Assert.Equal(RegistryErrorCode.RangeInvalid, e.Code));
            var winner = results[0] is null ? a : b;
            Assert.Single(Directory.EnumerateFiles(folder.Combine("data", "uploads", session.Id))); // the losing part was dropped
            await CompleteAsync(NewNode(), session.Id, Digest.Compute(winner));
            await AssertPublishedAsync(winner, Digest.Compute(winner));
        }
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
