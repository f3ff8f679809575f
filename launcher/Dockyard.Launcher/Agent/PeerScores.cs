using System.Collections.Concurrent;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Which peers to avoid: one that sent a corrupt piece is banned for a long time (it is faulty or hostile), one that
/// failed (refused, cut off, too slow) for a short time, so a restarted peer is tried again soon.
/// </summary>
internal sealed class PeerScores(TimeProvider time)
{
    public static readonly TimeSpan CorruptBan = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan FailureBan = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, DateTimeOffset> bannedUntil = new(StringComparer.OrdinalIgnoreCase);

    public bool IsUsable(string address) => !bannedUntil.TryGetValue(address, out var until) || until <= time.GetUtcNow();

    public void Corrupt(string address) => Ban(address, CorruptBan);

    public void Failed(string address) => Ban(address, FailureBan);

    private void Ban(string address, TimeSpan span)
    {
        var until = time.GetUtcNow() + span;
        bannedUntil.AddOrUpdate(address, until, (_, existing) => existing > until ? existing : until);
    }
}
