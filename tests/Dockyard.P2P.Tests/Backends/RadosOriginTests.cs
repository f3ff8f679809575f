using Dockyard.Ceph;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.P2P.Tests.Backends;

/// <summary>
/// The origin on RADOS (<c>backend = rados</c>, metadata in SQLite) against the single-node cluster test.sh starts
/// (DOCKYARD_TEST_CEPH_CONF, DOCKYARD_TEST_CEPH_POOL); the blob is deleted from the pool after.
/// </summary>
public sealed class RadosOriginTests : OriginBackendTests
{
    private readonly string? conf = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_CONF") is { Length: > 0 } value
        ? value
        : RequiredTool.Missing("ceph", "is not running (DOCKYARD_TEST_CEPH_CONF is unset; infra/scripts/ceph-cluster.sh start)");

    private static string Pool => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_POOL") is { Length: > 0 } p ? p : "dockyard";

    private static string? Keyring => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_KEYRING") is { Length: > 0 } k ? k : null;

    protected override Dictionary<string, string?>? BackendSettings => conf is null ? null : new()
    {
        ["dockyard:backend"] = "rados",
        ["rados:conffile"] = conf,
        ["rados:poolname"] = Pool,
        ["rados:username"] = "admin",
        ["rados:keyring"] = Keyring,
        ["rados:timeout"] = "30",
    };

    protected override async Task CleanUpAsync(Digest blob)
    {
        if (conf is null)
        {
            return;
        }
        using var store = RadosRegistration.Open(new RadosBlobStoreOptions { ConfFile = conf, PoolName = Pool, Keyring = Keyring, Timeout = TimeSpan.FromSeconds(30) });
        await store.DeleteAsync(blob, CancellationToken.None);
    }
}
