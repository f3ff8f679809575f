using Dockyard.Ceph;
using Dockyard.Core.Names;
using Dockyard.Testing;

namespace Dockyard.P2P.Tests.Backends;

/// <summary>
/// The origin on RADOS (<c>backend = rados</c>, metadata in SQLite) against the single-node cluster test.sh starts;
/// the blob is deleted from the pool after.
/// </summary>
public sealed class RadosOriginTests : OriginBackendTests
{
    private readonly string? conf = TestBackends.CephConf();

    protected override Dictionary<string, string?>? BackendSettings => conf is null ? null : TestBackends.Rados(conf);

    protected override async Task CleanUpAsync(Digest blob)
    {
        using var store = RadosRegistration.Open(new RadosBlobStoreOptions
        {
            ConfFile = conf!,
            PoolName = TestBackends.CephPool,
            Keyring = TestBackends.CephKeyring,
            Timeout = TimeSpan.FromSeconds(30),
        });
        await store.DeleteAsync(blob, CancellationToken.None);
    }
}
