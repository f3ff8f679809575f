using Dockyard.Azure;
using Dockyard.Azure.Tables;
using Dockyard.Ceph;
using Dockyard.Core.Blobs;
using Dockyard.Testing;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>
/// A remote backend for an in-process registry, on the services test.sh starts (the ones the Interop and Cluster
/// backend tests use): <c>azure</c> (Azure Blob + Azure Tables on Azurite, a container and table prefix of its own),
/// <c>rados</c> (Ceph RADOS blobs in a namespace of its own, SQLite metadata) and <c>mysql</c> (MariaDB metadata in the
/// shared test database, told apart by repository name; blobs on disk). <see cref="CleanUpAsync"/> deletes what it wrote.
/// </summary>
public sealed class VolumeBackend
{
    private readonly string name;
    private readonly string id = Guid.NewGuid().ToString("N")[..12];

    private VolumeBackend(string name, Dictionary<string, string?> settings)
    {
        this.name = name;
        Settings = settings;
    }

    /// <summary>The <c>section:key</c> runtime.conf settings naming the backend.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>A repository name no other run uses (the MySQL database is shared).</summary>
    public string Repository(string volume) => $"vol{id}/{volume}";

    /// <summary>The backend; a missing service fails the test on CI and skips it elsewhere.</summary>
    public static VolumeBackend Find(string name)
    {
        var backend = new VolumeBackend(name, []);
        var settings = name switch
        {
            "azure" => backend.Azure(),
            "rados" => backend.Rados(),
            "mysql" => backend.MySql(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "azure, rados or mysql"),
        };
        foreach (var (key, value) in settings)
        {
            backend.Settings[key] = value;
        }
        return backend;
    }

    public async Task CleanUpAsync()
    {
        switch (name)
        {
            case "azure":
                var connection = Variable("DOCKYARD_TEST_AZURE_CONNECTION", "azurite")!;
                await AzureStorageRegistration.Connect(connection, Container, TimeSpan.FromSeconds(10)).DeleteIfExistsAsync();
                await AzureTables.FromOptions(new AzureTableOptions { ConnectionString = connection, TablePrefix = TablePrefix }).DeleteTablesAsync(CancellationToken.None);
                break;
            case "rados":
                using (var store = RadosRegistration.Open(new RadosBlobStoreOptions
                {
                    ConfFile = Settings["rados:conffile"]!, PoolName = Settings["rados:poolname"]!, Keyring = Settings["rados:keyring"],
                    Namespace = Settings["rados:namespace"], Timeout = TimeSpan.FromSeconds(30),
                }))
                {
                    IReadOnlyList<StoredBlob> page;
                    while ((page = await store.ListBlobsAsync(null, 1000, CancellationToken.None)).Count > 0)
                    {
                        foreach (var blob in page)
                        {
                            await store.DeleteAsync(blob.Digest, CancellationToken.None);
                        }
                    }
                }
                break;
        }
    }

    private string Container => "volumes-" + id;

    private string TablePrefix => "volumes" + id;

    private Dictionary<string, string?> Azure() => new()
    {
        ["dockyard:backend"] = "azure",
        ["db:driver"] = "azuretables",
        ["azure:connectionstring"] = Variable("DOCKYARD_TEST_AZURE_CONNECTION", "azurite"),
        ["azure:container"] = Container,
        ["azure:tableprefix"] = TablePrefix,
        ["azure:sasredirect"] = "false",
    };

    private Dictionary<string, string?> Rados() => new()
    {
        ["dockyard:backend"] = "rados",
        ["db:driver"] = "sqlite",
        ["rados:conffile"] = Variable("DOCKYARD_TEST_CEPH_CONF", "ceph"),
        ["rados:poolname"] = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_POOL") is { Length: > 0 } pool ? pool : "dockyard",
        ["rados:username"] = "admin",
        ["rados:keyring"] = Environment.GetEnvironmentVariable("DOCKYARD_TEST_CEPH_KEYRING") is { Length: > 0 } keyring ? keyring : null,
        ["rados:namespace"] = "volumes-" + id,
        ["rados:timeout"] = "30",
    };

    private Dictionary<string, string?> MySql()
    {
        var parts = Variable("DOCKYARD_TEST_MYSQL", "mariadb")!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries)).Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        string? Value(params string[] keys) => keys.Select(k => parts.GetValueOrDefault(k)).FirstOrDefault(v => v is not null);
        return new()
        {
            ["db:driver"] = "mysql",
            ["db:uri"] = $"{Value("Server", "Host", "Data Source")}:{Value("Port") ?? "3306"}",
            ["db:user"] = Value("User ID", "UserID", "User", "Uid", "Username"),
            ["db:passwd"] = Value("Password", "Pwd"),
            ["db:name"] = Value("Database", "Initial Catalog"),
        };
    }

    private static string? Variable(string variable, string service) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
        ? value
        : RequiredTool.Missing(service, $"is not running ({variable} is unset; test.sh starts it)");
}
