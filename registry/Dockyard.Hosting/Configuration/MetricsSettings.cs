using Dockyard.Http.Telemetry;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[metrics]</c>: the Prometheus endpoint <c>/metrics</c>.</summary>
public sealed class MetricsSettings
{
    /// <summary>The fewest characters a <see cref="Token"/> may have: a scraper's secret, not a password to remember.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary><c>enabled</c>: serve <c>/metrics</c> (true by default); false answers 404 there.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>token</c>: a bearer token scrapers must send; empty leaves <c>/metrics</c> open to anyone who can reach it.</summary>
    public string? Token { get; set; }

    public MetricsOptions ToOptions() => new() { Enabled = Enabled, Token = string.IsNullOrEmpty(Token) ? null : Token };

    /// <summary>The faults of this section, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(Token) && (Token.Length < MinimumTokenLength || Token.Any(char.IsWhiteSpace)))
        {
            // The value is a secret: the message says what is wrong with it, never what it is.
            yield return $"[metrics] token: must be at least {MinimumTokenLength} characters without spaces (e.g. `openssl rand -hex 32`)";
        }
    }
}
