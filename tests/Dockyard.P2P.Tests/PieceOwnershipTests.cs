using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

/// <summary>
/// Who takes which piece from the registry: one owner per piece for one view of the swarm, shares of about equal
/// size, and an agent joining takes over only pieces it wins, so agents whose views differ still agree on the rest.
/// </summary>
public sealed class PieceOwnershipTests
{
    private static readonly Digest Blob = Digest.Compute("ownership"u8.ToArray());
    private static readonly string[] Swarm = [.. Enumerable.Range(1, 8).Select(i => $"10.77.0.{10 + i}:5051")];

    [Fact]
    public void Every_agent_with_the_same_view_names_the_same_owner_and_shares_are_about_equal()
    {
        const int count = 4000;
        // Each agent builds its own ownership from the swarm in the order its tracker answer gave.
        var views = Swarm.Select(member => new PieceOwnership(Blob, Swarm.OrderBy(_ => Random.Shared.Next()))).ToArray();

        var owners = Enumerable.Range(0, count).Select(i => views[0].OwnerOf(i)!).ToArray();

        Assert.All(views, view => Assert.Equal(owners, Enumerable.Range(0, count).Select(i => view.OwnerOf(i)!)));
        foreach (var member in Swarm)
        {
            // 500 expected each; rendezvous hashing over a good mix stays well within ±30 %.
            Assert.InRange(owners.Count(o => o == member), 350, 650);
        }
    }

    [Fact]
    public void An_agent_joining_moves_only_the_pieces_it_wins()
    {
        const int count = 1000;
        var before = new PieceOwnership(Blob, Swarm[..7]);
        var after = new PieceOwnership(Blob, Swarm);

        var moved = Enumerable.Range(0, count).Where(i => before.OwnerOf(i) != after.OwnerOf(i)).ToArray();

        Assert.All(moved, i => Assert.Equal(Swarm[7], after.OwnerOf(i)));
        Assert.InRange(moved.Length, 60, 200); // about an eighth
        Assert.Equal(moved.Length, Enumerable.Range(0, count).Count(i => after.OwnerOf(i) == Swarm[7]));
    }

    [Fact]
    public void Another_blob_deals_its_pieces_otherwise()
    {
        var one = new PieceOwnership(Blob, Swarm);
        var other = new PieceOwnership(Digest.Compute("another"u8.ToArray()), Swarm);

        Assert.Contains(Enumerable.Range(0, 100), i => one.OwnerOf(i) != other.OwnerOf(i));
        Assert.Null(new PieceOwnership(Blob, []).OwnerOf(0));
    }
}
