namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The registry volumes of one <c>launcher run</c>. Before the container is created each is materialised into its own
/// temporary folder (read-write ones under the volume's lease, renewed every TTL/3; read-only ones with no lease, so
/// they work while another host has the volume), from the latest version or the one named with <c>@VERSION</c> (a
/// version that does not exist stops the run before the container). After the container exits the read-write
/// folders are stored as new versions with their lease's fencing token (an older version's folder on top of the latest:
/// a restore-and-edit) and the leases released; a lease lost meanwhile
/// keeps the folder (its path is printed) and commits nothing. Dispose releases what is held and removes the folders,
/// except a read-write one that was never stored (the run failed or was cancelled): that one stays and is named.
/// Every volume of the run uses the same keys (<c>--encryption-key</c>, <c>--decryption-key</c>); an encrypted volume
/// whose index they cannot open is refused before anything is written.
/// </summary>
internal sealed class RunVolumeMounts : IAsyncDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly List<Mounted> mounted = [];
    private readonly CancellationTokenSource stop = new();
    private Task renewals = Task.CompletedTask;

    private sealed class Mounted(RunVolume volume, VolumeConnection connection, string folder)
    {
        public RunVolume Volume { get; } = volume;
        public VolumeConnection Connection { get; } = connection;
        public string Folder { get; } = folder;
        public HeldLease? Lease { get; set; }
        public bool Lost { get; set; }
        public bool Stored { get; set; }

        /// <summary>The version materialised when it was not the latest (<c>@VERSION</c>): a read-write run stores on top of the latest.</summary>
        public VolumeVersion? Basis { get; set; }

        /// <summary>Materialised and handed to the container: only then can the folder hold changes worth keeping.</summary>
        public bool Ready { get; set; }
    }

    /// <summary>The engine binds (<c>HOST:DESTINATION[:ro]</c>) replacing the registry volumes.</summary>
    public IReadOnlyList<string> Binds => mounted.Select(m => $"{m.Folder}:{m.Volume.Destination}{(m.Volume.ReadOnly ? ":ro" : "")}").ToList();

    public static async Task<RunVolumeMounts> MountAsync(IReadOnlyList<RunVolume> volumes, string registry, VolumeKeyPaths keys, TextWriter progress,
        CancellationToken cancellationToken)
    {
        var mounts = new RunVolumeMounts();
        try
        {
            foreach (var volume in volumes)
            {
                await mounts.MountOneAsync(volume, registry, keys, progress, cancellationToken);
            }
            mounts.renewals = mounts.RenewAsync();
            return mounts;
        }
        catch
        {
            await mounts.DisposeAsync();
            throw;
        }
    }

    private async Task MountOneAsync(RunVolume volume, string registry, VolumeKeyPaths keys, TextWriter progress, CancellationToken cancellationToken)
    {
        var connection = VolumeConnection.Open(registry, volume.Repository, keys.Load());
        var folder = Directory.CreateTempSubdirectory("dockyard-volume-").FullName;
        var entry = new Mounted(volume, connection, folder);
        mounted.Add(entry);
        if (!volume.ReadOnly)
        {
            entry.Lease = await connection.Leases.AcquireAsync(VolumeOperations.Holder, Ttl, cancellationToken);
        }
        var latest = volume.ReadOnly && volume.Version is not null ? null
            : await VolumeVersions.ReadAsync(connection.Registry, VolumeVersions.Latest, cancellationToken);
        if (!volume.ReadOnly)
        {
            connection.Registry.Keys.CheckWritable(latest, volume.Repository);
        }
        var chosen = volume.Version is null ? latest : await VolumeOperations.RequiredAsync(connection.Registry, volume.Version, cancellationToken);
        entry.Basis = volume.Version is null ? null : chosen;
        if (chosen is not null)
        {
            var bytes = await VolumeMaterializer.RestoreAsync(connection.Registry, chosen, folder, cancellationToken);
            await progress.WriteLineAsync($"volume {volume.Repository}: version {chosen.Number} ({bytes} bytes) at {volume.Destination}{(volume.ReadOnly ? " read-only" : "")}");
        }
        entry.Ready = true;
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(Ttl / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                foreach (var entry in mounted.Where(m => m.Lease is not null && !m.Lost))
                {
                    var renewed = await entry.Connection.Leases.RenewAsync(entry.Lease!, Ttl, stop.Token);
                    entry.Lost = renewed is null;
                    entry.Lease = renewed ?? entry.Lease;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or LaunchException or HttpRequestException)
        {
            // Stopped, or the registry did not answer: the next commit's fencing check decides whether the lease held.
        }
    }

    /// <summary>Stores every read-write folder as its volume's next version; the first failure is thrown after all were tried.</summary>
    public async Task CommitAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        await stop.CancelAsync();
        await renewals;
        LaunchException? failed = null;
        foreach (var entry in mounted.Where(m => m.Lease is not null))
        {
            try
            {
                if (entry.Lost)
                {
                    throw new LaunchException(LaunchFailure.Registry, $"volume {entry.Volume.Repository}: the lease was lost to another host");
                }
                var result = await VolumeSnapshotter.SnapshotAsync(entry.Connection.Registry, entry.Folder, entry.Lease!, entry.Basis, cancellationToken);
                entry.Stored = true;
                await progress.WriteLineAsync($"volume {entry.Volume.Repository}: version {result.Version?.Number ?? 0} " +
                    $"({(result.Committed ? $"new, {result.UploadedBytes} bytes uploaded" : "unchanged")})");
            }
            catch (LaunchException e)
            {
                failed ??= new LaunchException(e.Failure, $"{e.Message}; nothing was stored, the changes stay in {entry.Folder}");
            }
        }
        if (failed is not null)
        {
            throw failed;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewals;
        foreach (var entry in mounted)
        {
            if (entry.Lease is not null)
            {
                await entry.Connection.Leases.ReleaseAsync(entry.Lease, CancellationToken.None);
            }
            entry.Connection.Dispose();
            if (entry.Volume.ReadOnly || entry.Stored || entry.Lease is null || !entry.Ready)
            {
                Directory.Delete(entry.Folder, recursive: true);
            }
            else
            {
                await Console.Error.WriteLineAsync($"launcher: volume {entry.Volume.Repository} was not stored; its folder stays at {entry.Folder}");
            }
        }
        stop.Dispose();
    }
}
