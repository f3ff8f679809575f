using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The writes of <c>launcher volume</c> outside the plugin (push, restore, rm): each takes the volume's lease for its
/// own duration, so it is refused while a host has the volume mounted, and commits with the lease's fencing token.
/// </summary>
internal static class VolumeOperations
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);

    /// <summary>The holder name of a one-off command: this machine and process.</summary>
    public static string Holder => $"{Environment.MachineName}-launcher-{Environment.ProcessId}";

    public static Task<SnapshotResult> PushAsync(VolumeConnection connection, string folder, CancellationToken cancellationToken) =>
        LeasedAsync(connection, lease => Directory.Exists(folder)
            ? VolumeSnapshotter.SnapshotAsync(connection.Registry, folder, lease, cancellationToken)
            : throw new LaunchException(LaunchFailure.Usage, $"{folder} is not a folder"), cancellationToken);

    /// <summary>Makes <paramref name="reference"/> the latest version again, as a new version over the same chunks.</summary>
    public static Task<VolumeVersion> RestoreAsync(VolumeConnection connection, string reference, CancellationToken cancellationToken) =>
        LeasedAsync(connection, async lease =>
        {
            var old = await RequiredAsync(connection.Registry, reference, cancellationToken);
            var latest = await RequiredAsync(connection.Registry, VolumeVersions.Latest, cancellationToken);
            var number = latest.Number + 1;
            var manifest = VolumeVersions.Renumber(old.Manifest, number, lease.Holder, DateTimeOffset.UtcNow);
            var digest = await connection.Registry.PutManifestAsync(VolumeVersions.Tag(number), manifest, lease.Token, cancellationToken);
            await connection.Registry.PutManifestAsync(VolumeVersions.Latest, manifest, lease.Token, cancellationToken);
            return old with { Number = number, Digest = digest, Manifest = manifest };
        }, cancellationToken);

    /// <summary>Deletes every version (their chunks go with the next garbage collection).</summary>
    public static Task<int> RemoveAsync(VolumeConnection connection, CancellationToken cancellationToken) =>
        LeasedAsync(connection, async _ =>
        {
            var digests = new HashSet<Digest>();
            foreach (var tag in (await VolumeVersions.NumbersAsync(connection.Registry, cancellationToken)).Select(VolumeVersions.Tag).Append(VolumeVersions.Latest))
            {
                if (await connection.Registry.Client.GetManifestAsync(connection.Registry.Repository, tag, cancellationToken, missingIsNull: true) is { } manifest)
                {
                    digests.Add(manifest.Digest);
                }
            }
            foreach (var digest in digests)
            {
                await connection.Registry.DeleteManifestAsync(digest, cancellationToken);
            }
            return digests.Count;
        }, cancellationToken);

    public static async Task<VolumeVersion> RequiredAsync(VolumeRegistry registry, string reference, CancellationToken cancellationToken) =>
        await VolumeVersions.ReadAsync(registry, reference, cancellationToken)
            ?? throw new LaunchException(LaunchFailure.ImageNotFound, $"{registry.Repository} has no version {reference}");

    private static async Task<T> LeasedAsync<T>(VolumeConnection connection, Func<HeldLease, Task<T>> action, CancellationToken cancellationToken)
    {
        var lease = await connection.Leases.AcquireAsync(Holder, Ttl, cancellationToken);
        try
        {
            return await action(lease);
        }
        finally
        {
            await connection.Leases.ReleaseAsync(lease, CancellationToken.None);
        }
    }
}
