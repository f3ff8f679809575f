using Dockyard.Testing;

namespace Dockyard.MySql.Tests.Registry;

/// <summary>A real <c>dockyard web</c> host composed from runtime.conf keys with <c>[db] driver = mysql</c> on a database of its own (blobs on local disk).</summary>
internal sealed class MySqlRegistry : IAsyncDisposable
{
    private readonly string server;
    private readonly string database;

    private MySqlRegistry(RegistryServer registry, string server, string database)
    {
        Server = registry;
        this.server = server;
        this.database = database;
    }

    public RegistryServer Server { get; }

    /// <summary>The started registry; null when MariaDB is not available.</summary>
    public static async Task<MySqlRegistry?> StartAsync(IDictionary<string, string?>? settings = null)
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return null;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["db:driver"] = "mysql",
            ["db:uri"] = options.Uri,
            ["db:user"] = options.User,
            ["db:passwd"] = options.Password,
            ["db:name"] = options.Database,
        };
        return new MySqlRegistry(await RegistryServer.StartAsync(values), server, options.Database!);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await MariaDb.DropDatabaseAsync(server, database);
    }
}
