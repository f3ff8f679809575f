using System.Globalization;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Core.Volumes;

/// <summary>
/// Exclusive read-write use of a volume across hosts (docs/volumes.md): a lease per repository with a TTL, renewed by
/// its holder, and a fencing token that grows with every new holding. A volume version is committed only with the
/// token of the lease that is held at that moment, so a host that lost its lease (expired, taken over) cannot commit.
/// Every write is a compare-and-swap on the stored revision; a lost race is retried against the new record. As the
/// registry's <see cref="IManifestCommitGuard"/> it enforces that rule on every manifest PUT (docs/volumes.md).
/// </summary>
public sealed class VolumeLeaseService(IVolumeLeaseStore store, TimeProvider time) : IManifestCommitGuard
{
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);
    /// <summary>How long a confirmed volume commit keeps its lease held at least: the time its tag write has.</summary>
    public static readonly TimeSpan CommitWindow = TimeSpan.FromSeconds(30);
    private const int Attempts = 8;

    /// <summary>Takes the lease for <paramref name="holder"/>, or extends it when that holder has it already (same token).</summary>
    /// <exception cref="RegistryException">Conflict (409) while another holder's lease is unexpired.</exception>
    public Task<VolumeLease> AcquireAsync(RepositoryName repository, string holder, TimeSpan ttl, CancellationToken cancellationToken) =>
        ChangeAsync(repository, current =>
        {
            var now = time.GetUtcNow();
            if (current is null)
            {
                return new VolumeLease(repository, holder, 1, now + ttl, 1);
            }
            if (current.IsHeldAt(now) && current.Holder != holder)
            {
                throw new RegistryException(RegistryErrorCode.Conflict,
                    $"volume {repository} is mounted read-write by {current.Holder} until {current.ExpiresAt:O}");
            }
            var token = current.IsHeldAt(now) ? current.Token : current.Token + 1;
            return current with { Holder = holder, Token = token, ExpiresAt = now + ttl, Revision = current.Revision + 1 };
        }, Check(holder, ttl), cancellationToken);

    /// <summary>
    /// Extends the lease that <paramref name="holder"/> holds with <paramref name="token"/>. A lapsed lease nobody took
    /// since is revived: no other host had a token in between.
    /// </summary>
    /// <exception cref="RegistryException">NotFound (404) when that is not the current lease ("not yours").</exception>
    public Task<VolumeLease> RenewAsync(RepositoryName repository, string holder, long token, TimeSpan ttl, CancellationToken cancellationToken) =>
        ChangeAsync(repository, current => Mine(current, repository, holder, token) with
        {
            ExpiresAt = Later(time.GetUtcNow() + ttl, current!.ExpiresAt), Revision = current.Revision + 1,
        }, Check(holder, ttl), cancellationToken);

    // A renewal never shortens a lease: a commit in flight may have extended it for its tag write (CommitWindow).
    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Ends the lease now; its token stays stored so that the next holding gets a greater one.</summary>
    /// <exception cref="RegistryException">NotFound (404) when that is not the current lease.</exception>
    public Task<VolumeLease> ReleaseAsync(RepositoryName repository, string holder, long token, CancellationToken cancellationToken) =>
        ChangeAsync(repository, current => Mine(current, repository, holder, token) with
        {
            ExpiresAt = time.GetUtcNow(), Revision = current!.Revision + 1,
        }, Check(holder, MinTtl), cancellationToken);

    /// <summary>The unexpired lease of <paramref name="repository"/>; null when nobody holds it.</summary>
    public async Task<VolumeLease?> CurrentAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        await store.GetAsync(repository, cancellationToken) is { } lease && lease.IsHeldAt(time.GetUtcNow()) ? lease : null;

    /// <summary>
    /// The fencing rule's first look, before anything is stored: a manifest whose artifactType is
    /// <see cref="VolumeArtifact.ArtifactType"/> must carry the token of the repository's unexpired lease. Other
    /// manifests pass with no store round trip.
    /// </summary>
    /// <exception cref="RegistryException">Conflict (409) for an absent, malformed or stale token.</exception>
    public async Task CheckAsync(ManifestCommit commit, CancellationToken cancellationToken)
    {
        if (FencingToken(commit) is { } token)
        {
            Fenced(commit.Repository, await store.GetAsync(commit.Repository, cancellationToken), token);
        }
    }

    /// <summary>
    /// The second look, after the manifest is stored and before its tag moves: the token must still be the unexpired
    /// lease's, and a compare-and-swap on the lease's revision keeps it held for at least <see cref="CommitWindow"/>, so no
    /// other host can take the volume (and commit) before this PUT's tag is written.
    /// </summary>
    /// <exception cref="RegistryException">Conflict (409) when the lease was lost since <see cref="CheckAsync"/>.</exception>
    public async Task ConfirmAsync(ManifestCommit commit, CancellationToken cancellationToken)
    {
        if (FencingToken(commit) is { } token)
        {
            await ChangeAsync(commit.Repository, current =>
            {
                var held = Fenced(commit.Repository, current, token);
                var until = time.GetUtcNow() + CommitWindow;
                return held with { ExpiresAt = Later(held.ExpiresAt, until), Revision = held.Revision + 1 };
            }, () => { }, cancellationToken);
        }
    }

    // Null for a manifest the rule does not cover; the parsed token otherwise.
    private static long? FencingToken(ManifestCommit commit)
    {
        if (commit.Manifest.ArtifactType != VolumeArtifact.ArtifactType)
        {
            return null;
        }
        return long.TryParse(commit.FencingToken, NumberStyles.None, CultureInfo.InvariantCulture, out var token) ? token
            : throw new RegistryException(RegistryErrorCode.Conflict,
                $"a volume version is committed with its lease's fencing token in the {VolumeArtifact.FencingTokenHeader} header");
    }

    private VolumeLease Fenced(RepositoryName repository, VolumeLease? stored, long token)
    {
        var current = stored is not null && stored.IsHeldAt(time.GetUtcNow()) ? stored : null;
        return current is not null && current.Token == token ? current
            : throw new RegistryException(RegistryErrorCode.Conflict,
                $"fencing token {token} of volume {repository} is stale: {(current is null ? "no lease is held" : $"the lease is now held by {current.Holder}")}");
    }

    private static VolumeLease Mine(VolumeLease? current, RepositoryName repository, string holder, long token) =>
        current is not null && current.Holder == holder && current.Token == token ? current
            : throw new RegistryException(RegistryErrorCode.NotFound, $"no lease {token} of {holder} on volume {repository}");

    private static Action Check(string holder, TimeSpan ttl) => () =>
    {
        if (string.IsNullOrWhiteSpace(holder) || holder.Length > 200 || holder.Any(char.IsControl))
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "holder: 1 to 200 printable characters naming the host");
        }
        if (ttl < MinTtl || ttl > MaxTtl)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, $"ttlSeconds: from {MinTtl.TotalSeconds} to {MaxTtl.TotalSeconds}");
        }
    };

    private async Task<VolumeLease> ChangeAsync(RepositoryName repository, Func<VolumeLease?, VolumeLease> change, Action validate,
        CancellationToken cancellationToken)
    {
        validate();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.GetAsync(repository, cancellationToken);
            var next = change(current);
            if (await store.TryWriteAsync(next, current?.Revision, cancellationToken))
            {
                return next;
            }
        }
        throw new StorageUnavailableException($"the lease of volume {repository} kept changing under {Attempts} attempts");
    }
}
