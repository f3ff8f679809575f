using Dockyard.Ceph;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Backends;

/// <summary>
/// The interop and route tests on <c>backend = rados</c> + <c>[db] driver = sqlite</c> against the single-node
/// cluster that test.sh starts (DOCKYARD_TEST_CEPH_CONF, DOCKYARD_TEST_CEPH_POOL). The registry writes to the pool's
/// default namespace ([rados] has no namespace key); the 300 MiB layers are deleted after each test so that the pool
/// does not fill up (the small busybox blobs, the same in every run, stay).
/// </summary>
public sealed class RadosBackendInteropTests : BackendInteropTests
{
    private readonly string? conf = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_CONF") is { Length: > 0 } value
        ? value
        : RequiredTool.Missing("ceph", "is not running (DOCKYARD_TEST_CEPH_CONF is unset; infra/scripts/ceph-cluster.sh start)");

    private static string Pool => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_POOL") is { Length: > 0 } p ? p : "dockyard";

    private static string? Keyring => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_KEYRING") is { Length: > 0 } k ? k : null;

    protected override Dictionary<string, string?>? BackendSettings => conf is null ? null : new()
    {
        ["dockyard:backend"] = "rados",
        ["db:driver"] = "sqlite",
        ["rados:conffile"] = conf,
        ["rados:poolname"] = Pool,
        ["rados:username"] = "admin",
        ["rados:keyring"] = Keyring,
        ["rados:timeout"] = "30",
    };

    protected override async Task CleanUpAsync()
    {
        using var store = Open();
        foreach (var digest in LargeBlobs)
        {
            await store.DeleteAsync(Digest.Parse(digest), CancellationToken.None);
        }
    }

    protected override async Task DeleteFromRemoteAsync(string digest)
    {
        using var store = Open();
        Assert.True(await store.DeleteAsync(Digest.Parse(digest), CancellationToken.None));
    }

    private RadosBlobStore Open() => RadosRegistration.Open(new RadosBlobStoreOptions
    {
        ConfFile = conf!,
        PoolName = Pool,
        Keyring = Keyring,
        Timeout = TimeSpan.FromSeconds(30),
    });
}
