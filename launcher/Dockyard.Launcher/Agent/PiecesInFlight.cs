using System.Collections.Concurrent;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The pieces this agent is fetching from the registry right now. A peer asking for one is told "fetching" rather than
/// plain "not held", so it waits for this copy instead of fetching the piece from the registry too. Only registry
/// fetches count: they never wait on peers, so two agents can never wait on each other.
/// </summary>
internal sealed class PiecesInFlight
{
    /// <summary>The response header a peer sets on its 404 for a piece it is fetching from the registry.</summary>
    public const string Header = "Dockyard-Piece";

    /// <summary>The header's value meaning "fetching it now, ask again shortly".</summary>
    public const string Fetching = "fetching";

    private readonly ConcurrentDictionary<(Digest Blob, int Index), int> fetching = new();

    public bool IsFetching(Digest blob, int index) => fetching.ContainsKey((blob, index));

    /// <summary>The blob's pieces being fetched from the registry now.</summary>
    public int[] FetchingOf(Digest blob) => [.. fetching.Keys.Where(k => k.Blob == blob).Select(k => k.Index)];

    /// <summary>Marks the piece as being fetched until the returned scope is disposed.</summary>
    public IDisposable Begin(Digest blob, int index)
    {
        fetching.AddOrUpdate((blob, index), 1, (_, n) => n + 1);
        return new Scope(this, (blob, index));
    }

    private void End((Digest, int) key)
    {
        if (fetching.AddOrUpdate(key, 0, (_, n) => n - 1) <= 0)
        {
            fetching.TryRemove(new KeyValuePair<(Digest, int), int>(key, 0));
        }
    }

    private sealed class Scope(PiecesInFlight owner, (Digest, int) key) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.End(key);
            }
        }
    }
}
