namespace Dockyard.Ceph;

/// <summary>
/// The <c>[rados]</c> section, typed. <see cref="Validate"/> names the key of every fault, so a wrong setting fails
/// at start-up rather than at the first push.
/// </summary>
public sealed class RadosBlobStoreOptions
{
    public const int DefaultChunkSize = 4 << 20;
    public const int MinChunkSize = 64 << 10;

    /// <summary><c>conffile</c>: the ceph.conf naming the monitors (and usually the keyring).</summary>
    public string ConfFile { get; set; } = "/etc/ceph/ceph.conf";

    /// <summary><c>keyring</c>: the cephx keyring; null or empty uses the one ceph.conf names.</summary>
    public string? Keyring { get; set; }

    /// <summary><c>poolname</c>: the pool blobs are stored in; it must exist.</summary>
    public string PoolName { get; set; } = "";

    /// <summary><c>username</c>: the cephx user without <c>client.</c>; admin by default.</summary>
    public string UserName { get; set; } = "admin";

    /// <summary><c>chunksize</c>: bytes per RADOS object (64 KiB … 90 MiB, the largest single RADOS write).</summary>
    public long ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary><c>timeout</c>: how long connecting, and then any one RADOS operation, may take before it fails as unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A RADOS namespace inside the pool; null for the default one. Lets tests (or registries) share a pool.</summary>
    public string? Namespace { get; set; }

    /// <summary>Every fault, one message each naming its <c>[rados]</c> key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConfFile))
        {
            errors.Add("[rados] conffile: required, the path of ceph.conf");
        }
        else if (!File.Exists(ConfFile))
        {
            errors.Add($"[rados] conffile = '{ConfFile}': file not found");
        }
        if (!string.IsNullOrWhiteSpace(Keyring) && !File.Exists(Keyring))
        {
            errors.Add($"[rados] keyring = '{Keyring}': file not found");
        }
        if (string.IsNullOrWhiteSpace(PoolName))
        {
            errors.Add("[rados] poolname: required, the pool blobs are stored in");
        }
        if (string.IsNullOrWhiteSpace(UserName) || UserName.Any(char.IsWhiteSpace))
        {
            errors.Add($"[rados] username = '{UserName}': expected a cephx user name without 'client.' (admin)");
        }
        if (ChunkSize < MinChunkSize || ChunkSize > RadosPool.MaxWriteBytes)
        {
            errors.Add($"[rados] chunksize = {ChunkSize}: expected {MinChunkSize} … {RadosPool.MaxWriteBytes} bytes (RADOS caps one write at 90 MiB)");
        }
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"[rados] timeout = {Timeout.TotalSeconds}: seconds must be positive");
        }
        return errors;
    }
}
