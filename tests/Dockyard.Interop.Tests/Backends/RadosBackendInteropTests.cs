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
    private readonly string? conf = TestBackends.CephConf();

    protected override Dictionary<string, string?>? BackendSettings => conf is null ? null : TestBackends.Rados(conf);

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
        PoolName = TestBackends.CephPool,
        Keyring = TestBackends.CephKeyring,
        Timeout = TimeSpan.FromSeconds(30),
    });
}
