using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Conformance.P2P;

/// <summary>
/// The behaviour every <see cref="IPeerDistributionStore"/> must show: announcements upserted per (blob, agent), listed
/// per blob only while live, expired ones swept; piece lists read back whole, keyed by blob and piece size.
/// </summary>
public abstract class PeerDistributionStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly Digest Blob = Digest.Compute([1, 2, 3]);
    private static readonly Digest Other = Digest.Compute([4]);
    private IPeerDistributionStore? store;

    private IPeerDistributionStore Store => store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IPeerDistributionStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(IPeerDistributionStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await DestroyStoreAsync(store);
        }
    }

    [Fact]
    public async Task Live_announcements_are_listed_per_blob_and_expired_ones_never()
    {
        await Store.AnnounceAsync(new PeerAnnouncement(Blob, "agent-a", "10.0.0.1:5001", Now.AddMinutes(5)), Ct);
        await Store.AnnounceAsync(new PeerAnnouncement(Blob, "agent-b", "10.0.0.2:5001", Now.AddSeconds(-1)), Ct);
        await Store.AnnounceAsync(new PeerAnnouncement(Other, "agent-c", "10.0.0.3:5001", Now.AddMinutes(5)), Ct);

        var live = await Store.ListLiveAsync(Blob, Now, 10, Ct);

        var only = Assert.Single(live);
        Assert.Equal(new PeerAnnouncement(Blob, "agent-a", "10.0.0.1:5001", Now.AddMinutes(5)), only);
        Assert.Empty(await Store.ListLiveAsync(Digest.Compute([9]), Now, 10, Ct));
    }

    [Fact]
    public async Task A_second_announcement_of_an_agent_replaces_its_first()
    {
        await Store.AnnounceAsync(new PeerAnnouncement(Blob, "agent-a", "10.0.0.1:5001", Now.AddSeconds(30)), Ct);
        await Store.AnnounceAsync(new PeerAnnouncement(Blob, "agent-a", "10.0.0.9:6001", Now.AddMinutes(5)), Ct);

        var only = Assert.Single(await Store.ListLiveAsync(Blob, Now.AddMinutes(1), 10, Ct));
        Assert.Equal("10.0.0.9:6001", only.Address);
    }

    [Fact]
    public async Task Listings_are_bounded_by_the_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.AnnounceAsync(new PeerAnnouncement(Blob, $"agent-{i}", $"10.0.0.{i}:5001", Now.AddMinutes(5)), Ct);
        }
        Assert.Equal(3, (await Store.ListLiveAsync(Blob, Now, 3, Ct)).Count);
        Assert.Equal(5, (await Store.ListLiveAsync(Blob, Now, 10, Ct)).Select(p => p.AgentId).Distinct().Count());
    }

    [Fact]
    public async Task Sweeping_removes_only_the_blobs_expired_announcements()
    {
        await Store.AnnounceAsync(new PeerAnnouncement(Blob, "old", "10.0.0.1:5001", Now.AddSeconds(-10)), Ct);
        await Store.AnnounceAsync(new PeerAnnouncement(Blob, "new", "10.0.0.2:5001", Now.AddMinutes(1)), Ct);
        await Store.AnnounceAsync(new PeerAnnouncement(Other, "old", "10.0.0.1:5001", Now.AddSeconds(-10)), Ct);

        Assert.Equal(1, await Store.DeleteExpiredAsync(Blob, Now, Ct));

        Assert.Equal("new", Assert.Single(await Store.ListLiveAsync(Blob, Now.AddMinutes(-1), 10, Ct)).AgentId);
        Assert.Single(await Store.ListLiveAsync(Other, Now.AddMinutes(-1), 10, Ct));
    }

    [Fact]
    public async Task Piece_lists_read_back_whole_by_blob_and_piece_size()
    {
        var hashes = Enumerable.Range(0, 300).Select(i => Digest.Compute([(byte)i, (byte)(i >> 8)]).Hex).ToList();
        var pieces = new BlobPieces(Blob, 299L * 1024 + 17, 1024, hashes);

        await Store.PutPiecesAsync(pieces, Ct);
        await Store.PutPiecesAsync(pieces, Ct);

        var read = await Store.GetPiecesAsync(Blob, 1024, Ct);
        Assert.NotNull(read);
        Assert.Equal(pieces.Size, read.Size);
        Assert.Equal(hashes, read.Hashes);
        Assert.Null(await Store.GetPiecesAsync(Blob, 2048, Ct));
        Assert.Null(await Store.GetPiecesAsync(Other, 1024, Ct));
    }
}
