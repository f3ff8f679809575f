using Dockyard.Core.Accounts;
using Dockyard.Core.Appc;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Local.FileSystem;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.Accounts;
using Dockyard.Local.Sqlite.Appc;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Local;

/// <summary>Registers the embedded default backends: blobs on local disk, metadata in SQLite.</summary>
public static class LocalStorageRegistration
{
    /// <param name="dataPath">The data folder (<c>[dockyard] path</c>); blobs under it, metadata in its <c>metadata.db</c>.</param>
    public static IServiceCollection AddFileSystemBlobStore(this IServiceCollection services, string dataPath) =>
        services.AddSingleton<IBlobStore>(_ => new FileSystemBlobStore(dataPath));

    /// <summary>Registry metadata, UAM accounts and appc/rkt ACI metadata in one SQLite file.</summary>
    /// <param name="databasePath">The SQLite file.</param>
    public static IServiceCollection AddSqliteMetadataStore(this IServiceCollection services, string databasePath) =>
        services.AddSingleton(_ => new SqliteDatabase(databasePath))
            .AddSingleton<IMetadataStore>(sp => new SqliteMetadataStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IAccountStore>(sp => new SqliteAccountStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IAciStore>(sp => new SqliteAciStore(sp.GetRequiredService<SqliteDatabase>()));
}
