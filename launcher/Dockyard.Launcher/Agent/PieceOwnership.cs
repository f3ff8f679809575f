using System.Text;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Which member of a swarm takes a piece from the registry: the one with the highest weight for (blob, piece), a
/// weight every agent computes alike from the member's address (rendezvous hashing). Unlike dealing pieces round-robin
/// over a sorted list, a member that joins or leaves moves only the pieces it wins or held, so agents whose views of
/// the swarm differ for a moment (they announce a moment apart) still agree on most owners.
/// </summary>
internal sealed class PieceOwnership
{
    private readonly string[] members;
    private readonly ulong[] seeds;
    private readonly ulong blobSeed;

    /// <param name="members">The swarm's addresses, this agent's included; duplicates count once.</param>
    public PieceOwnership(Digest blob, IEnumerable<string> members)
    {
        this.members = [.. members.Distinct(StringComparer.Ordinal)];
        seeds = [.. this.members.Select(Fnv)];
        blobSeed = Fnv(blob.Value);
    }

    /// <summary>The member that takes the piece from the registry; null for an empty swarm.</summary>
    public string? OwnerOf(int index)
    {
        string? owner = null;
        var best = 0UL;
        for (var i = 0; i < members.Length; i++)
        {
            var weight = Mix(seeds[i] ^ Mix(blobSeed + (ulong)index));
            // Ties (astronomically rare) go to the smaller address, so every agent still picks the same one.
            if (owner is null || weight > best || (weight == best && string.CompareOrdinal(members[i], owner) < 0))
            {
                (owner, best) = (members[i], weight);
            }
        }
        return owner;
    }

    // Deterministic across processes (string.GetHashCode is randomised per process): FNV-1a over the UTF-8 bytes.
    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    // splitmix64's finaliser: spreads nearby inputs (piece 7 and 8) over the whole range.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
