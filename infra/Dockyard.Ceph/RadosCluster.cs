using System.Globalization;
using System.Runtime.ExceptionServices;
using Dockyard.Ceph.Native;

namespace Dockyard.Ceph;

/// <summary>
/// A connected librados client (one <c>rados_t</c>): reads ceph.conf, authenticates as a cephx user, and opens pools.
/// Thread-safe; dispose it after the pools opened from it (or before: the native client lives until both are gone).
/// </summary>
public sealed class RadosCluster : IDisposable
{
    private readonly RadosClusterHandle handle;

    private RadosCluster(RadosClusterHandle handle) => this.handle = handle;

    /// <summary>
    /// Connects, waiting at most <paramref name="timeout"/> for the monitors; the same timeout then bounds every
    /// monitor and OSD operation, so a call to a dead cluster fails with <see cref="RadosUnavailableException"/>
    /// instead of blocking forever.
    /// </summary>
    /// <param name="confFile">ceph.conf (monitor addresses, and usually the keyring).</param>
    /// <param name="keyring">The cephx keyring; null or empty keeps what ceph.conf says.</param>
    /// <param name="userName">The cephx user without <c>client.</c> (admin).</param>
    /// <exception cref="RadosException">Bad configuration or credentials.</exception>
    /// <exception cref="RadosUnavailableException">No monitor answered in time.</exception>
    public static RadosCluster Connect(string confFile, string? keyring, string userName, TimeSpan timeout)
    {
        // librados' set-up touches about 1 MiB of the calling thread's stack (smaps, docs/benchmarks.md, issue 14). On
        // the main thread at start-up those pages stayed resident for the life of the process; a thread's stack is
        // handed back to the system when the thread ends.
        RadosCluster? cluster = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                cluster = ConnectHere(confFile, keyring, userName, timeout);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 8 << 20) { Name = "RADOS connect" }; // as much as a main thread gets: librados is not written for less
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        return cluster!;
    }

    private static RadosCluster ConnectHere(string confFile, string? keyring, string userName, TimeSpan timeout)
    {
        RadosErrors.Check(LibRados.Create2(out var handle, "ceph", "client." + userName, 0), "create client");
        try
        {
            RadosErrors.Check(LibRados.ConfReadFile(handle, confFile), $"read {confFile}");
            if (!string.IsNullOrWhiteSpace(keyring))
            {
                RadosErrors.Check(LibRados.ConfSet(handle, "keyring", keyring), "set keyring");
            }
            var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            foreach (var option in new[] { "client_mount_timeout", "rados_mon_op_timeout", "rados_osd_op_timeout" })
            {
                RadosErrors.Check(LibRados.ConfSet(handle, option, seconds), $"set {option}");
            }
            // Logs go nowhere by default: librados would otherwise write under /var/log/ceph.
            LibRados.ConfSet(handle, "log_file", "");
            var result = LibRados.Connect(handle);
            if (result < 0)
            {
                // A connect that times out answers -ETIMEDOUT (or -110 wrapped); an unknown user -EACCES / -EPERM.
                throw RadosErrors.For(-result, $"connect as client.{userName} using {confFile}");
            }
            return new RadosCluster(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="poolName"/>; objects are named within <paramref name="nameSpace"/> (null: the default one).</summary>
    /// <exception cref="RadosObjectNotFoundException">No such pool.</exception>
    public RadosPool OpenPool(string poolName, string? nameSpace = null) => new(new RadosIoctxHandle(handle, poolName), nameSpace);

    public void Dispose() => handle.Dispose();
}
