using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;
using Dockyard.Launcher.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The picker over given bitfields (no peer is contacted): rarest first among what peers hold, this agent's registry
/// share one piece at a time for all its downloads and never a piece a peer is fetching, others' share only once the swarm has stalled (then
/// even what a peer says it fetches), and every piece at full parallelism when alone.
/// </summary>
public sealed class PiecePickerTests : IDisposable
{
    private const string Me = "10.0.0.1:5051";
    private static readonly Digest Blob = Digest.Compute("picker"u8.ToArray());
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);
    // Never contacted: the swarm is set by hand and the holdings are never refreshed (no token).
    private readonly RegistryClient registry = new(new Uri("http://127.0.0.1:9/"), null);
    private readonly PeerPieceClient peers = new(TimeSpan.FromSeconds(1));

    [Fact]
    public void Pieces_peers_hold_are_taken_rarest_first_from_their_holders()
    {
        var holdings = Holdings(4, ["a:1", "b:1", "c:1"]);
        holdings.Set("a:1", Bitfield(4, held: [0, 1, 2]));
        holdings.Set("b:1", Bitfield(4, held: [0, 2, 3]));
        holdings.Set("c:1", Bitfield(4, held: [0, 3]));
        var picker = new PiecePicker(4, holdings, new Slots(1), parallelism: 4, Never, TimeProvider.System);

        var first = picker.TryPick(out _)!;
        var second = picker.TryPick(out _)!;
        var third = picker.TryPick(out _)!;
        var fourth = picker.TryPick(out var finished)!;

        Assert.Equal(1, first.Index);
        Assert.Equal(new[] { "a:1" }, first.Holders);
        Assert.Equal(new[] { 2, 3 }, new[] { second.Index, third.Index }.Order());
        Assert.Equal(0, fourth.Index);
        Assert.Equal(new[] { "a:1", "b:1", "c:1" }, fourth.Holders.Order());
        Assert.False(finished);
        Assert.Null(picker.TryPick(out finished));
        Assert.True(finished);
    }

    [Fact]
    public void The_registry_serves_this_agents_share_one_piece_at_a_time_and_never_a_piece_a_peer_is_fetching()
    {
        const int count = 64;
        var swarm = new[] { "a:1", "b:1", "c:1" };
        var holdings = Holdings(count, swarm);
        var ownership = new PieceOwnership(Blob, swarm.Append(Me));
        var mine = Enumerable.Range(0, count).Where(i => ownership.OwnerOf(i) == Me).ToArray();
        Assert.NotEmpty(mine);
        // A peer says it is fetching one of this agent's pieces already: that one is left to it.
        holdings.Set("a:1", Bitfield(count, held: [], fetching: [mine[0]]));
        // The agent's one turn at the registry, shared with its download of another blob.
        var turns = new Slots(PiecePicker.RegistryFetchesInSwarm);
        var picker = new PiecePicker(count, holdings, turns, parallelism: 4, Never, TimeProvider.System);
        var otherBlob = new PiecePicker(count, holdings, turns, parallelism: 4, Never, TimeProvider.System);

        var taken = new List<int>();
        while (picker.TryPick(out _) is { } pick)
        {
            Assert.True(pick.FromRegistry);
            Assert.Null(picker.TryPick(out _));
            Assert.Null(otherBlob.TryPick(out _));
            taken.Add(pick.Index);
            picker.Finish(pick, arrived: true);
        }

        Assert.Equal(mine.Skip(1).Order(), taken.Order());
        Assert.True(otherBlob.TryPick(out _) is { FromRegistry: true }, "the turn was not given back");
    }

    [Fact]
    public void A_stalled_swarm_sends_the_agent_to_the_registry_for_others_share_too()
    {
        const int count = 16;
        var holdings = Holdings(count, ["a:1", "b:1"]);
        holdings.Set("a:1", Bitfield(count, held: [], fetching: [5]));
        var picker = new PiecePicker(count, holdings, new Slots(1), parallelism: 4, TimeSpan.Zero, TimeProvider.System);

        var picks = Enumerable.Range(0, 4).Select(i => picker.TryPick(out _)).ToArray();

        Assert.All(picks, pick => Assert.True(pick is { FromRegistry: true }, "a stalled swarm left a worker idle"));
        Assert.DoesNotContain(5, picks.Select(p => p!.Index));
        Assert.Null(picker.TryPick(out _)); // at most the parallelism at once
    }

    [Fact]
    public void A_stalled_swarm_takes_even_the_pieces_a_peer_claims_to_fetch_from_the_registry()
    {
        const int count = 4;
        var holdings = Holdings(count, ["a:1", "b:1"]);
        // A liar: every piece being fetched, none ever sent. Before the fix a stalled agent left all four to it.
        holdings.Set("a:1", Bitfield(count, held: [], fetching: [0, 1, 2, 3]));
        var picker = new PiecePicker(count, holdings, new Slots(1), parallelism: 4, TimeSpan.Zero, TimeProvider.System);

        var picks = Enumerable.Range(0, count).Select(i => picker.TryPick(out _)).ToArray();

        Assert.All(picks, pick => Assert.True(pick is { FromRegistry: true }, "a claimed piece was left to the peer that claims it"));
        Assert.Equal(new[] { 0, 1, 2, 3 }, picks.Select(p => p!.Index).Order());
    }

    [Fact]
    public void Alone_the_agent_takes_every_piece_from_the_registry_at_full_parallelism_and_skips_what_it_holds()
    {
        var picker = new PiecePicker(6, Holdings(6, []), new Slots(1), parallelism: 4, Never, TimeProvider.System);
        picker.Skip(2);
        picker.Skip(3);

        var picks = Enumerable.Range(0, 4).Select(i => picker.TryPick(out _)!).ToArray();

        Assert.All(picks, pick => Assert.True(pick.FromRegistry));
        Assert.Equal(new[] { 0, 1, 4, 5 }, picks.Select(p => p.Index).Order());
        Assert.Null(picker.TryPick(out var finished));
        Assert.True(finished);
        // A pick that failed comes back.
        picker.Finish(picks[0], arrived: false);
        Assert.Equal(picks[0].Index, picker.TryPick(out _)!.Index);
    }

    private SwarmHoldings Holdings(int count, string[] swarm)
    {
        var scores = new PeerScores(TimeProvider.System);
        var view = new SwarmView(new TrackerClient(registry), scores, RepositoryName.Parse("alice/app"), Blob, "me", Me, TimeSpan.FromHours(1),
            TimeProvider.System, NullLogger.Instance);
        view.Update(swarm);
        return new SwarmHoldings(view, peers, scores, new AgentStats(), Blob, count, token: null, TimeProvider.System, NullLogger.Instance);
    }

    private static PieceBitfield Bitfield(int count, int[] held, int[]? fetching = null) =>
        new([.. Enumerable.Range(0, count).Select(held.Contains)], [.. Enumerable.Range(0, count).Select(i => fetching?.Contains(i) ?? false)]);

    public void Dispose()
    {
        registry.Dispose();
        peers.Dispose();
    }
}
