namespace Dockyard.Testing;

/// <summary>
/// The shared backends test.sh starts, as runtime.conf keys for a registry on them: Azure Blob + Azure Tables on Azurite
/// (DOCKYARD_TEST_AZURE_CONNECTION) and RADOS on the single-node cluster (DOCKYARD_TEST_CEPH_CONF, DOCKYARD_TEST_CEPH_POOL,
/// DOCKYARD_TEST_CEPH_KEYRING). A missing service is reported by <see cref="RequiredTool.Missing"/> (a failure on CI).
/// </summary>
public static class TestBackends
{
    public const string AzureVariable = "DOCKYARD_TEST_AZURE_CONNECTION";

    /// <summary>Azurite's connection string; null (reported) when it is not running.</summary>
    public static string? AzureConnection() => Environment.GetEnvironmentVariable(AzureVariable) is { Length: > 0 } value
        ? value
        : RequiredTool.Missing("azurite", $"is not running ({AzureVariable} is unset; infra/scripts/azurite.sh start)");

    /// <summary>The cluster's ceph.conf; null (reported) when it is not running.</summary>
    public static string? CephConf() => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_CONF") is { Length: > 0 } value
        ? value
        : RequiredTool.Missing("ceph", "is not running (DOCKYARD_TEST_CEPH_CONF is unset; infra/scripts/ceph-cluster.sh start)");

    public static string CephPool => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_POOL") is { Length: > 0 } p ? p : "dockyard";

    public static string? CephKeyring => Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_KEYRING") is { Length: > 0 } k ? k : null;

    /// <summary><c>backend = azure</c> and <c>[db] driver = azuretables</c> in a container and table prefix of the caller's.</summary>
    public static Dictionary<string, string?> Azure(string connection, string container, string tablePrefix) => new()
    {
        ["dockyard:backend"] = "azure",
        ["db:driver"] = "azuretables",
        ["azure:connectionstring"] = connection,
        ["azure:container"] = container,
        ["azure:tableprefix"] = tablePrefix,
        ["azure:sasredirect"] = "false",
    };

    /// <summary><c>backend = rados</c> (the pool's default namespace) with metadata in SQLite.</summary>
    public static Dictionary<string, string?> Rados(string conf) => new()
    {
        ["dockyard:backend"] = "rados",
        ["db:driver"] = "sqlite",
        ["rados:conffile"] = conf,
        ["rados:poolname"] = CephPool,
        ["rados:username"] = "admin",
        ["rados:keyring"] = CephKeyring,
        ["rados:timeout"] = "30",
    };
}
