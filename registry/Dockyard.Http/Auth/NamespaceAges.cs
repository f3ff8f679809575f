using System.Collections.Concurrent;
using System.Diagnostics;
using Dockyard.Core.Access;
using Dockyard.Core.Names;

namespace Dockyard.Http.Auth;

/// <summary>
/// When the account holding a namespace (the user or organization of that name) was created, so that a token issued
/// before it acts on none of its repositories: a token's grants are fixed when it is issued, and once an organization
/// or user is deleted and its name taken by someone else, the old owner's members (or anyone holding an anonymous
/// token for its public repositories) would otherwise read and write the new owner's repositories until the token
/// expires. A node remembers each namespace's creation time for <see cref="Freshness"/>, so a bearer pull costs no
/// read; a name deleted and taken again is seen by every node at most that long after.
/// </summary>
public sealed class NamespaceAges(RepositoryOwnership ownership)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    public const int MaxEntries = 10_000;

    // The creation time (null: no account holds the namespace) and when it was read, as a monotonic Stopwatch timestamp.
    private readonly ConcurrentDictionary<string, (DateTimeOffset? CreatedAt, long ReadAt)> known = new(StringComparer.Ordinal);

    /// <summary>
    /// True when the account holding <paramref name="repository"/>'s namespace was created no later than
    /// <paramref name="issuedAt"/> plus the tokens' clock-skew leeway, or when no account holds it (data an
    /// administrator pushed, or not yet adopted, which only administrators reach).
    /// </summary>
    public async ValueTask<bool> PredatesAsync(RepositoryName repository, DateTimeOffset issuedAt, CancellationToken cancellationToken)
    {
        var created = await CreatedAtAsync(AccessPolicy.Split(repository).Namespace, cancellationToken);
        return created is not { } at || at.ToUnixTimeSeconds() <= issuedAt.ToUnixTimeSeconds() + (long)TokenValidator.ClockSkew.TotalSeconds;
    }

    private async ValueTask<DateTimeOffset?> CreatedAtAsync(string @namespace, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(@namespace, out var kept) && Stopwatch.GetElapsedTime(kept.ReadAt) < Freshness)
        {
            return kept.CreatedAt;
        }
        var readAt = Stopwatch.GetTimestamp();
        var created = await ownership.AccountCreatedAsync(@namespace, cancellationToken);
        if (known.Count >= MaxEntries)
        {
            known.Clear();
        }
        known[@namespace] = (created, readAt);
        return created;
    }
}
