using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The volume driver behind the plugin protocol, for one host. Mount takes the volume's read-write lease and
/// materialises its latest version (unless data/ already holds it); Unmount of the last mount ID snapshots data/ as
/// a new version (only changed chunks travel) and releases the lease. The engine mounts twice per <c>docker run</c>
/// (create and start), so mounts are counted by ID. A lease lost while mounted (renewal refused) is never committed.
/// A volume created with <c>--opt mode=ro</c> mounts the latest version with no lease (so while another host has it
/// read-write) and is never snapshotted; what a container writes there is discarded by the next mount. With
/// <c>--opt version=V</c> a read-only volume always mounts V; a read-write one mounts V until an unmount stores a
/// changed folder as a new version on top of the latest (a restore-and-edit), and follows the latest from then on.
/// </summary>
internal sealed partial class VolumeDriver(VolumeStateFolder state, string? registry, TimeSpan leaseTtl, ILogger logger)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, HashSet<string>> mounts = new(StringComparer.Ordinal);

    public string HostId { get; } = state.HostId();

    public VolumeStateFolder State => state;

    public Task CreateAsync(string name, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken) =>
        LockedAsync(async () =>
        {
            var repository = options.GetValueOrDefault("repo") ?? options.GetValueOrDefault("repository")
                ?? throw new LaunchException(LaunchFailure.Usage, "give the volume's repository: --opt repo=TEAM/NAME");
            var mode = options.GetValueOrDefault("mode") ?? "rw";
            if (mode is not ("rw" or "ro"))
            {
                throw new LaunchException(LaunchFailure.Usage, $"--opt mode={mode}: expected rw or ro");
            }
            var version = options.GetValueOrDefault("version") is { Length: > 0 } given ? VolumeVersions.CheckReference(given) : null;
            var keys = KeyOptions(options);
            using var connection = VolumeConnection.Open(registry, repository, keys.Load());
            if (state.Repository(name) is { } existing && existing != repository)
            {
                throw new LaunchException(LaunchFailure.Usage, $"volume {name} exists for {existing}");
            }
            if (version is not null)
            {
                // Looked up now, so that `docker volume create` refuses a version that does not exist (or that these keys cannot open).
                await VolumeOperations.RequiredAsync(connection.Registry, version, cancellationToken);
            }
            state.Create(name, repository, mode == "ro", version);
            state.SetKeys(name, keys);
            return 0;
        }, cancellationToken);

    // Paths are made absolute here: the files are read again at every mount, from wherever the plugin runs.
    private static VolumeKeyPaths KeyOptions(IReadOnlyDictionary<string, string> options) =>
        new(Paths(options, "encrypt-recipient"), Paths(options, "decrypt-key"));

    private static string[] Paths(IReadOnlyDictionary<string, string> options, string option) => options.GetValueOrDefault(option) is { Length: > 0 } list
        ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => Path.GetFullPath(VolumeKeys.WithoutScheme(p))).ToArray()
        : [];

    public Task RemoveAsync(string name, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        if (mounts.ContainsKey(name))
        {
            throw new LaunchException(LaunchFailure.Usage, $"volume {name} is mounted");
        }
        if (state.Exists(name))
        {
            state.Remove(name);
        }
        return Task.FromResult(0);
    }, cancellationToken);

    /// <summary>The mountpoint while mounted, "" otherwise; null when this host has no such volume.</summary>
    public string? Mountpoint(string name) => !state.Exists(name) ? null : mounts.ContainsKey(name) ? state.DataPath(name) : "";

    public Task<string> MountAsync(string name, string id, CancellationToken cancellationToken) => LockedAsync(async () =>
    {
        var repository = state.Repository(name) ?? throw new LaunchException(LaunchFailure.Usage, $"no such volume: {name}");
        if (mounts.TryGetValue(name, out var ids))
        {
            ids.Add(id);
            return state.DataPath(name);
        }
        using var connection = Connect(name);
        if (state.ReadOnly(name))
        {
            return await MountReadOnlyAsync(name, id, connection, cancellationToken);
        }
        var lease = await connection.Leases.AcquireAsync(HostId, leaseTtl, cancellationToken);
        try
        {
            state.SetLease(name, lease);
            var latest = await VolumeVersions.ReadAsync(connection.Registry, VolumeVersions.Latest, cancellationToken);
            // Refused now rather than at unmount, when the container's changes could not be stored.
            connection.Registry.Keys.CheckWritable(latest, repository);
            var chosen = state.Pinned(name) is { } pinned ? await VolumeOperations.RequiredAsync(connection.Registry, pinned, cancellationToken) : latest;
            var data = state.DataPath(name);
            if (chosen is not null && state.Materialised(name) != chosen.Digest.Value)
            {
                var bytes = await VolumeMaterializer.RestoreAsync(connection.Registry, chosen, data, cancellationToken);
                state.SetMaterialised(name, chosen.Digest.Value);
                LogMaterialised(logger, name, chosen.Number, bytes);
            }
            mounts[name] = new HashSet<string>(StringComparer.Ordinal) { id };
            LogMounted(logger, name, repository, lease.Token);
            return data;
        }
        catch
        {
            state.SetLease(name, null);
            await connection.Leases.ReleaseAsync(lease, CancellationToken.None);
            throw;
        }
    }, cancellationToken);

    // Always materialised afresh: the container may have written to data/ last time, and no lease means no commit.
    private async Task<string> MountReadOnlyAsync(string name, string id, VolumeConnection connection, CancellationToken cancellationToken)
    {
        var chosen = state.Pinned(name) is { } pinned ? await VolumeOperations.RequiredAsync(connection.Registry, pinned, cancellationToken)
            : await VolumeVersions.ReadAsync(connection.Registry, VolumeVersions.Latest, cancellationToken)
                ?? throw new LaunchException(LaunchFailure.ImageNotFound, $"{connection.Registry.Repository} has no version to mount read-only");
        var bytes = await VolumeMaterializer.RestoreAsync(connection.Registry, chosen, state.DataPath(name), cancellationToken);
        state.SetMaterialised(name, null);
        LogMaterialised(logger, name, chosen.Number, bytes);
        mounts[name] = new HashSet<string>(StringComparer.Ordinal) { id };
        return state.DataPath(name);
    }

    public Task UnmountAsync(string name, string id, CancellationToken cancellationToken) => LockedAsync(async () =>
    {
        if (!mounts.TryGetValue(name, out var ids) || !ids.Remove(id) || ids.Count > 0)
        {
            return 0;
        }
        mounts.Remove(name);
        if (state.ReadOnly(name))
        {
            return 0;
        }
        var lease = state.Lease(name) ?? throw new LaunchException(LaunchFailure.Registry, $"volume {name}: the lease was lost; changes stay in {state.DataPath(name)}");
        using var connection = Connect(name);
        // A mount of a pinned version is a restore-and-edit: compared with the pinned version, stored (if changed) on top of the latest.
        var pinned = state.Pinned(name) is not null && state.Materialised(name) is { } materialised
            ? await VolumeOperations.RequiredAsync(connection.Registry, materialised, cancellationToken) : null;
        var result = await VolumeSnapshotter.SnapshotAsync(connection.Registry, state.DataPath(name), lease, pinned, cancellationToken);
        state.SetMaterialised(name, result.Version?.Digest.Value);
        if (result.Committed)
        {
            state.SetPinned(name, null);
        }
        state.SetLease(name, null);
        await connection.Leases.ReleaseAsync(lease, cancellationToken);
        LogUnmounted(logger, name, result.Version?.Number ?? 0, result.Committed, result.UploadedBytes);
        return 0;
    }, cancellationToken);

    /// <summary>Renews the lease of every mounted volume; a lease that is no longer ours is dropped so nothing is committed with it.</summary>
    public Task RenewAllAsync(CancellationToken cancellationToken) => LockedAsync(async () =>
    {
        foreach (var name in mounts.Keys)
        {
            if (state.Lease(name) is not { } lease)
            {
                continue;
            }
            using var connection = VolumeConnection.Open(registry, state.Repository(name)!);
            var renewed = await connection.Leases.RenewAsync(lease, leaseTtl, cancellationToken);
            state.SetLease(name, renewed);
            if (renewed is null)
            {
                LogLeaseLost(logger, name);
            }
        }
        return 0;
    }, cancellationToken);

    private VolumeConnection Connect(string name) => VolumeConnection.Open(registry, state.Repository(name)!, state.Keys(name).Load());

    private async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Name}: version {Version} materialised ({Bytes} bytes)")]
    private static partial void LogMaterialised(ILogger logger, string name, int version, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Name} ({Repository}) mounted read-write with fencing token {Token}")]
    private static partial void LogMounted(ILogger logger, string name, string repository, long token);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Name} unmounted: version {Version} (new: {Committed}, {Uploaded} bytes uploaded)")]
    private static partial void LogUnmounted(ILogger logger, string name, int version, bool committed, long uploaded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "volume {Name}: the lease was lost (another host holds it now); its changes will not be committed")]
    private static partial void LogLeaseLost(ILogger logger, string name);
}
