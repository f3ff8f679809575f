using System.Runtime.ExceptionServices;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// One cluster shared by the tests of a class, on the backend a derived class names. When the backend's services or
/// nginx are missing the cluster is not started, and every test that asks for it through <see cref="Require"/>
/// reports why: skipped outside CI, failed on CI (except where the backend says otherwise).
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    private ExceptionDispatchInfo? missing;
    private RegistryCluster? cluster;

    /// <summary>A short id unique to this cluster, for user and repository names no other run uses.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The user every test pushes as (signed up on node 1), and the namespace it owns.</summary>
    public string User => "u" + Id;

    public string Password => "cluster-pw-" + Id;

    /// <summary>The backend; null after <see cref="Testing.RequiredTool.Missing"/> or a <see cref="SkipException"/>.</summary>
    protected abstract ClusterBackend? FindBackend();

    public async Task InitializeAsync()
    {
        try
        {
            if (FindBackend() is { } backend)
            {
                cluster = await RegistryCluster.StartAsync(backend);
                if (cluster is not null)
                {
                    await cluster.SignUpAsync(User, Password, node: 0);
                }
            }
        }
        catch (Exception e) when (e is SkipException or InvalidOperationException)
        {
            // A fixture that throws fails its tests without saying which: each test rethrows it instead, so a missing
            // service is a skip (or on CI a failure naming it) and a node that would not start fails with its reason.
            missing = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>The running cluster; throws the reason it is missing (a skip, or on CI a failure).</summary>
    public RegistryCluster Require()
    {
        missing?.Throw();
        return cluster ?? throw new SkipException("nginx is not installed");
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
