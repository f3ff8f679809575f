using Dockyard.Azure;
using Dockyard.Azure.Tables;
using Dockyard.Ceph;
using Dockyard.Hosting.Configuration;
using Dockyard.Local;
using Dockyard.Local.Sqlite;
using Dockyard.MySql;

namespace Dockyard.Hosting;

/// <summary>Picks the blob and metadata backends named by <c>[dockyard] backend</c> and <c>[db] driver</c>.</summary>
internal static class StorageComposition
{
    /// <summary>How long start-up waits for a remote backend to answer before failing with the key to check.</summary>
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(15);

    public static void AddStorage(IServiceCollection services, RuntimeSettings settings)
    {
        var dataPath = Path.GetFullPath(settings.Dockyard.Path);
        switch (settings.Dockyard.Backend.Trim().ToLowerInvariant())
        {
            case "filesystem":
                services.AddFileSystemBlobStore(dataPath);
                break;
            case "azure":
                AddAzure(services, settings.Azure);
                break;
            case "rados":
                AddRados(services, settings.Rados);
                break;
            default:
                throw new StartupException($"[dockyard] backend = '{settings.Dockyard.Backend}': unknown backend");
        }
        if (settings.Dockyard.Cachable)
        {
            services.AddBlobReadCache(Path.Combine(dataPath, "cache"), settings.Dockyard.CacheSize << 20);
        }
        switch (settings.Db.Driver.Trim().ToLowerInvariant())
        {
            case "sqlite":
                services.AddSqliteMetadataStore(string.IsNullOrWhiteSpace(settings.Db.Uri) ? Path.Combine(dataPath, "metadata.db") : settings.Db.Uri,
                    new SqliteDatabaseOptions { BusyTimeout = TimeSpan.FromSeconds(settings.Db.BusyTimeout) });
                break;
            case "azuretables":
                AddAzureTables(services, settings);
                break;
            case "mysql":
                AddMySql(services, settings.Db);
                break;
            default:
                throw new StartupException($"[db] driver = '{settings.Db.Driver}': unknown driver");
        }
    }

    private static void AddAzure(IServiceCollection services, AzureOptions azure)
    {
        try
        {
            services.AddAzureBlobStore(azure.ConnectionString!, azure.Container, azure.ToStoreOptions(), StartupTimeout);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException($"[azure] connectionstring / container = '{azure.Container}': {e.Message}", e);
        }
    }

    /// <summary>Connects now: a wrong key or an unreachable cluster fails start-up, naming the key.</summary>
    private static void AddRados(IServiceCollection services, RadosOptions rados)
    {
        try
        {
            services.AddRadosBlobStore(rados.ToStoreOptions());
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new StartupException(e.Message, e);
        }
    }

    private static void AddAzureTables(IServiceCollection services, RuntimeSettings settings)
    {
        try
        {
            services.AddAzureTableMetadataStore(RuntimeSettingsValidator.ToTableOptions(settings.Azure));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Both name the [azure] key at fault.
            throw new StartupException(e.Message, e);
        }
    }

    /// <summary>Connects and migrates now: a wrong key or an unreachable server fails start-up, naming the [db] keys.</summary>
    private static void AddMySql(IServiceCollection services, DbOptions db)
    {
        try
        {
            services.AddMySqlMetadataStore(RuntimeSettingsValidator.ToMySqlOptions(db), StartupTimeout);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new StartupException(e.Message, e);
        }
    }
}
