using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Cli.Admin;

/// <summary>A <c>WWW-Authenticate: Bearer realm="…",service="…"</c> challenge (Docker token authentication).</summary>
internal sealed partial record BearerChallenge(string Realm, string? Service)
{
    public static BearerChallenge? Parse(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges)
    {
        foreach (var challenge in challenges)
        {
            if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is null)
            {
                continue;
            }
            var values = Parameter().Matches(challenge.Parameter).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
            if (values.TryGetValue("realm", out var realm))
            {
                return new BearerChallenge(realm, values.GetValueOrDefault("service"));
            }
        }
        return null;
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex Parameter();
}
