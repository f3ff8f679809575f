namespace Dockyard.Core.Access;

/// <summary>
/// Where <see cref="LoginThrottle"/> keeps its failure counts. The default, <see cref="InProcessLoginFailureCounts"/>, is
/// this node's memory; a shared implementation (Redis, <c>[db] redis</c>) makes every node count the same failures, so a
/// cluster gives an attacker no more guesses than one node does. Keys are opaque text made by the throttle.
/// </summary>
/// <remarks>
/// A shared implementation whose service cannot be reached answers from this node's own counts instead of throwing: a
/// login must never fail because the counter is down, and the node still limits what reaches it.
/// </remarks>
public interface ILoginFailureCounts
{
    /// <summary>The failures counted under each of <paramref name="keys"/>, in the same order; 0 for a key with no
    /// failures or whose window has passed.</summary>
    Task<int[]> CountAsync(string[] keys, CancellationToken cancellationToken);

    /// <summary>Adds one failure under each of <paramref name="keys"/>. A key's window starts at its first failure and
    /// lasts <paramref name="window"/>; when it has passed, the next failure starts a new count.</summary>
    Task AddAsync(string[] keys, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Forgets the failures under <paramref name="key"/>; nothing happens when there are none.</summary>
    Task ForgetAsync(string key, CancellationToken cancellationToken);
}
