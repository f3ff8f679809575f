namespace Dockyard.Core.Events;

/// <summary>
/// One webhook receiver (<c>[notifications.&lt;name&gt;]</c>): where events go, what is sent with them, how long a
/// request may take, how failures back off, and which events it does not want.
/// </summary>
public sealed record NotificationEndpoint
{
    /// <summary>The endpoint's name: the key of its queue, so renaming an endpoint leaves its backlog behind.</summary>
    public required string Name { get; init; }

    public required Uri Url { get; init; }

    /// <summary>Sent with every request (an Authorization header, say); empty when none.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Failures in a row retried at once (on the next delivery round) before backing off.</summary>
    public int Threshold { get; init; } = 3;

    /// <summary>The first wait after <see cref="Threshold"/> failures; it doubles with each further failure.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Events whose target has one of these media types are not sent.</summary>
    public IReadOnlySet<string> IgnoredMediaTypes { get; init; } = new HashSet<string>();

    /// <summary>When not empty, only events whose target has one of these media types are sent (deletes carry none and always are).</summary>
    public IReadOnlySet<string> MediaTypes { get; init; } = new HashSet<string>();

    /// <summary>Actions (push, pull, delete) not sent.</summary>
    public IReadOnlySet<string> IgnoredActions { get; init; } = new HashSet<string>();

    /// <summary>How long a delivering node holds the endpoint: long enough for a request to time out and its outcome to be recorded.</summary>
    public TimeSpan LeaseTime => Timeout * 2 + TimeSpan.FromSeconds(5);

    /// <summary>True when the endpoint wants events of this action and target media type (null: the target has none).</summary>
    public bool Accepts(string action, string? mediaType) =>
        !IgnoredActions.Contains(action)
        && (mediaType is null || (!IgnoredMediaTypes.Contains(mediaType) && (MediaTypes.Count == 0 || MediaTypes.Contains(mediaType))));

    /// <summary>How long after the last of <paramref name="attempts"/> failures the next attempt waits.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        if (attempts < Threshold)
        {
            return TimeSpan.Zero;
        }
        var doublings = Math.Min(attempts - Threshold, 30);
        var delay = Backoff * Math.Pow(2, doublings);
        return delay > MaxBackoff ? MaxBackoff : delay;
    }
}
