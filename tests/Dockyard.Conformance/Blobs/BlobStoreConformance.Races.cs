using Dockyard.Core.Names;

namespace Dockyard.Conformance.Blobs;

/// <summary>Publishing one digest from several uploads at once, as two nodes completing the same layer do.</summary>
public abstract partial class BlobStoreConformance
{
    [Fact]
    public async Task Concurrent_publishes_of_one_digest_all_succeed_and_leave_one_whole_blob()
    {
        for (var round = 0; round < 5; round++)
        {
            var content = Content(300_000 + round, seed: 40 + round);
            var digest = Digest.Compute(content);
            var staged = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StageAsync(content)));

            await Task.WhenAll(staged.Select(s => Store.PublishUploadAsync(s.Id, s.Parts, digest, Ct)));

            Assert.Equal(content.Length, await Store.StatAsync(digest, Ct));
            Assert.Equal(content, await ReadBlobAsync(digest));
            foreach (var (id, _) in staged)
            {
                Assert.True(await UploadIsGoneAsync(id), $"round {round}: staging area {id} was left behind");
            }
        }
    }
}
