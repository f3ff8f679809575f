using Dockyard.Ceph;
using Dockyard.Core.Blobs;
using Dockyard.Testing;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// MariaDB metadata (<c>[db] driver = mysql</c>) with Redis beside it (<c>[db] redis</c>) and Ceph RADOS blobs
/// (<c>backend = rados</c>) in a namespace of the cluster's own. The database is the one DOCKYARD_TEST_MYSQL names
/// (a MySqlConnector connection string), shared with other runs: the tests use repository and user names unique to
/// their cluster, so nothing there needs deleting.
/// </summary>
public sealed record MySqlRadosBackend(IReadOnlyDictionary<string, string> MySql, string Redis, string CephConf, string Pool, string Id)
    : ClusterBackend("mysql-redis-rados")
{
    public const string MySqlVariable = "DOCKYARD_TEST_MYSQL";

    /// <summary>
    /// The backend when MariaDB, Redis and Ceph are running. Without DOCKYARD_TEST_MYSQL the test is skipped, on CI too:
    /// this variant runs once test.sh starts MariaDB. With it, a missing Redis or Ceph fails on CI like any service.
    /// </summary>
    /// <exception cref="SkipException">DOCKYARD_TEST_MYSQL is unset.</exception>
    public static MySqlRadosBackend? Find()
    {
        if (Environment.GetEnvironmentVariable(MySqlVariable) is not { Length: > 0 } connection)
        {
            throw new SkipException($"{MySqlVariable} is unset: the MySQL + Redis + Ceph cluster runs once test.sh starts MariaDB and Redis");
        }
        var redis = Environment.GetEnvironmentVariable("DOCKYARD_TEST_REDIS") is { Length: > 0 } r
            ? r : RequiredTool.Missing("redis", "is not running (DOCKYARD_TEST_REDIS is unset)");
        var conf = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_CONF") is { Length: > 0 } c
            ? c : RequiredTool.Missing("ceph", "is not running (DOCKYARD_TEST_CEPH_CONF is unset; infra/scripts/ceph-cluster.sh start)");
        var pool = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_POOL") is { Length: > 0 } p ? p : "dockyard";
        return new MySqlRadosBackend(ParseConnectionString(connection), redis!, conf!, pool, Guid.NewGuid().ToString("N")[..16]);
    }

    public override IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections => new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["db"] = new Dictionary<string, string>
        {
            ["driver"] = "mysql",
            ["uri"] = $"{Value("Server", "Host", "Data Source")}:{Value("Port") ?? "3306"}",
            ["user"] = Value("User ID", "UserID", "User", "Uid", "Username") ?? "",
            ["passwd"] = Value("Password", "Pwd") ?? "",
            ["name"] = Value("Database", "Initial Catalog") ?? "",
            ["redis"] = Redis,
        },
        ["dockyard"] = new Dictionary<string, string> { ["backend"] = "rados" },
        ["rados"] = new Dictionary<string, string>
        {
            ["conffile"] = CephConf,
            ["poolname"] = Pool,
            ["username"] = "admin",
            ["namespace"] = "cluster-" + Id,
        },
    };

    public override IBlobStore OpenBlobStore() => RadosRegistration.Open(new RadosBlobStoreOptions
    {
        ConfFile = CephConf,
        PoolName = Pool,
        Namespace = "cluster-" + Id,
        Timeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>Deletes every blob of the cluster's RADOS namespace (what the 200 MiB layers would otherwise fill).</summary>
    public override async Task CleanUpAsync()
    {
        using var store = (RadosBlobStore)OpenBlobStore();
        IReadOnlyList<StoredBlob> page;
        while ((page = await store.ListBlobsAsync(null, 1000, CancellationToken.None)).Count > 0)
        {
            foreach (var blob in page)
            {
                await store.DeleteAsync(blob.Digest, CancellationToken.None);
            }
        }
    }

    private string? Value(params string[] keys) => keys.Select(k => MySql.GetValueOrDefault(k)).FirstOrDefault(v => v is not null);

    private static Dictionary<string, string> ParseConnectionString(string connection) =>
        connection.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
}
