using System.Runtime.Versioning;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>The metadata file holds password hashes: only the server's own user may read it, or its WAL and shared memory.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_wal_and_shm_files_are_created_0600()
    {
        var path = folder.Combine("metadata.db");
        var store = new SqliteMetadataStore(path);
        // A write while the pooled connection stays open leaves the -wal and -shm files in place.
        await store.BlobLinks.LinkAsync(RepositoryName.Parse("team/app"), Digest.Compute([1]), 1, CancellationToken.None);

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            Assert.True(File.Exists(file), $"{file} is missing");
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
        }
    }
}
