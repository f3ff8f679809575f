using Dockyard.Core.Events;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[notifications.&lt;name&gt;]</c>: one webhook receiver, with Distribution's endpoint keys.</summary>
public sealed class NotificationEndpointSettings
{
    /// <summary>Keys <c>header.&lt;Name&gt; = value</c> become request headers.</summary>
    public const string HeaderPrefix = "header.";

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary><c>url</c>: where events are POSTed (http or https).</summary>
    public string? Url { get; set; }

    /// <summary><c>timeout</c>: how long one request may take (<c>500ms</c>, <c>5s</c>…; a bare number is seconds).</summary>
    public string Timeout { get; set; } = "5s";

    /// <summary><c>threshold</c>: failures in a row retried at once before backing off.</summary>
    public int Threshold { get; set; } = 3;

    /// <summary><c>backoff</c>: the first wait after <c>threshold</c> failures; it doubles with each further failure.</summary>
    public string Backoff { get; set; } = "1s";

    /// <summary><c>maxbackoff</c>: the longest wait between attempts.</summary>
    public string MaxBackoff { get; set; } = "5m";

    /// <summary><c>ignoredmediatypes</c>: comma-separated target media types not sent.</summary>
    public string? IgnoredMediaTypes { get; set; }

    /// <summary><c>mediatypes</c>: when set, only events whose target has one of these media types are sent (deletes always are).</summary>
    public string? MediaTypes { get; set; }

    /// <summary><c>ignoredactions</c>: comma-separated actions (push, pull, delete) not sent.</summary>
    public string? IgnoredActions { get; set; }

    /// <summary><c>disabled</c>: true keeps the endpoint configured but sends it nothing (its queued events wait).</summary>
    public bool Disabled { get; set; }

    /// <summary>The <c>header.*</c> keys, without the prefix.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    public IEnumerable<string> Validate(string section)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"{section} url = '{Url}': must be an absolute http or https URL";
        }
        if (DurationText.Parse(Timeout) is not { } timeout || timeout <= TimeSpan.Zero || timeout > MaxTimeout)
        {
            yield return $"{section} timeout = '{Timeout}': a duration above 0 and at most 5m (e.g. 500ms, 5s)";
        }
        if (Threshold < 0)
        {
            yield return $"{section} threshold = {Threshold}: must be 0 or more";
        }
        var backoff = DurationText.Parse(Backoff);
        if (backoff is null)
        {
            yield return $"{section} backoff = '{Backoff}': a duration (e.g. 1s, 500ms)";
        }
        if (DurationText.Parse(MaxBackoff) is not { } max || (backoff is { } b && max < b))
        {
            yield return $"{section} maxbackoff = '{MaxBackoff}': a duration no shorter than backoff";
        }
        foreach (var action in List(IgnoredActions).Where(a => !EventActions.All.Contains(a)))
        {
            yield return $"{section} ignoredactions: '{action}' is not one of {string.Join(", ", EventActions.All)}";
        }
        foreach (var header in Headers.Keys.Where(h => h.Length == 0 || !h.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            yield return $"{section} {HeaderPrefix}{header}: not a header name";
        }
    }

    public NotificationEndpoint ToEndpoint(string name) => new()
    {
        Name = name,
        Url = new Uri(Url!),
        Headers = Headers,
        Timeout = DurationText.Parse(Timeout)!.Value,
        Threshold = Threshold,
        Backoff = DurationText.Parse(Backoff)!.Value,
        MaxBackoff = DurationText.Parse(MaxBackoff)!.Value,
        IgnoredMediaTypes = List(IgnoredMediaTypes).ToHashSet(StringComparer.OrdinalIgnoreCase),
        MediaTypes = List(MediaTypes).ToHashSet(StringComparer.OrdinalIgnoreCase),
        IgnoredActions = List(IgnoredActions).ToHashSet(StringComparer.OrdinalIgnoreCase),
    };

    private static IEnumerable<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant());
}
