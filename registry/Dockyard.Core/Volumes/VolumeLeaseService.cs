using System.Globalization;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Core.Volumes;

/// <summary>
/// Exclusive read-write use of a volume across hosts (docs/volumes.md): a lease per repository with a TTL, renewed by
/// its holder, and a fencing token that grows with every new holding. A volume version is committed only with the
/// token of the lease that is held at that moment, so a host that lost its lease (expired, taken over) cannot commit.
/// Every write is a compare-and-swap on the stored revision; a lost race is retried against the new record.
/// </summary>
public sealed class VolumeLeaseService(IVolumeLeaseStore store, TimeProvider time)
{
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);
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
            ExpiresAt = time.GetUtcNow() + ttl, Revision = current!.Revision + 1,
        }, Check(holder, ttl), cancellationToken);

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
    /// The fencing rule, checked before a manifest is stored: a manifest whose artifactType is
    /// <see cref="VolumeArtifact.ArtifactType"/> must carry, in <paramref name="fencingToken"/>, the token of the
    /// repository's unexpired lease. Other manifests pass; a body that does not parse is left to the manifest service.
    /// </summary>
    /// <exception cref="RegistryException">Conflict (409) for an absent, malformed or stale token.</exception>
    public async Task CheckCommitAsync(RepositoryName repository, ReadOnlyMemory<byte> manifest, string? contentType, string? fencingToken,
        CancellationToken cancellationToken)
    {
        ParsedManifest parsed;
        try
        {
            parsed = ManifestParser.Parse(manifest, contentType);
        }
        catch (RegistryException)
        {
            return;
        }
        if (parsed.ArtifactType != VolumeArtifact.ArtifactType)
        {
            return;
        }
        if (!long.TryParse(fencingToken, NumberStyles.None, CultureInfo.InvariantCulture, out var token))
        {
            throw new RegistryException(RegistryErrorCode.Conflict,
                $"a volume version is committed with its lease's fencing token in the {VolumeArtifact.FencingTokenHeader} header");
        }
        var current = await CurrentAsync(repository, cancellationToken);
        if (current is null || current.Token != token)
        {
            throw new RegistryException(RegistryErrorCode.Conflict,
                $"fencing token {token} of volume {repository} is stale: {(current is null ? "no lease is held" : $"the lease is now held by {current.Holder}")}");
        }
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
