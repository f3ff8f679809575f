using Dockyard.Azure.Tables;
using Dockyard.Local;
using Dockyard.Server.Configuration;

namespace Dockyard.Server.Hosting;

/// <summary>Picks the blob and metadata backends named by <c>[dockyard] backend</c> and <c>[db] driver</c>.</summary>
internal static class StorageComposition
{
    public static void AddStorage(IServiceCollection services, RuntimeSettings settings)
    {
        var dataPath = Path.GetFullPath(settings.Dockyard.Path);
        switch (settings.Dockyard.Backend.Trim().ToLowerInvariant())
        {
            case "filesystem":
                services.AddFileSystemBlobStore(dataPath);
                break;
            default:
                throw new StartupException($"[dockyard] backend = '{settings.Dockyard.Backend}': unknown backend");
        }
        switch (settings.Db.Driver.Trim().ToLowerInvariant())
        {
            case "sqlite":
                services.AddSqliteMetadataStore(string.IsNullOrWhiteSpace(settings.Db.Uri) ? Path.Combine(dataPath, "metadata.db") : settings.Db.Uri);
                break;
            case "azuretables":
                AddAzureTables(services, settings);
                break;
            default:
                throw new StartupException($"[db] driver = '{settings.Db.Driver}': unknown driver");
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
}
