using Dockyard.Core.Collection;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[gc]</c>: online garbage collection (the schedule of <c>dockyard web</c> and the Functions timer, and the rules of every run).</summary>
public sealed class GcSettings
{
    /// <summary><c>interval</c>: seconds between scheduled runs in <c>dockyard web</c> (0: never; <c>dockyard gc</c> still works). Default a day.</summary>
    public int Interval { get; set; } = 86400;

    /// <summary><c>delay</c>: the grace period in seconds (default 3600); must be the same on every node.</summary>
    public int Delay { get; set; } = (int)CollectionOptions.DefaultDelay.TotalSeconds;

    /// <summary><c>untagged</c>: delete manifests no tag reaches once older than the grace period (Distribution's --delete-untagged).</summary>
    public bool Untagged { get; set; }

    public CollectionOptions ToOptions(IReadOnlyList<RetentionRule> retention) => new()
    {
        Delay = TimeSpan.FromSeconds(Delay),
        DeleteUntagged = Untagged,
        Retention = retention,
    };
}
