using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Dockyard.Local.Sqlite.V1;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// Opening a metadata.db written when V1 images were global moves each complete image into the repositories that
/// hold its layer; repositories that only announced its id, and incomplete images, get nothing.
/// </summary>
public sealed class SqliteV1SchemaMigrationTests : IDisposable
{
    private const string Empty = "{}";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dockyard-v1mig-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Global_images_move_into_the_repositories_holding_their_layer()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "metadata.db");
        var db = new SqliteDatabase(path);
        string complete = new('a', 64), incomplete = new('b', 64);
        var layer = Digest.Compute([1, 2, 3]).Value;
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE v1_images (id TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL, parent TEXT, layer_digest TEXT, layer_size INTEGER,
                    diff_id TEXT, gzip INTEGER, payload_checksum TEXT, checksum TEXT, complete INTEGER NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE v1_repository_images (repository TEXT NOT NULL, image TEXT NOT NULL, PRIMARY KEY (repository, image)) WITHOUT ROWID;
                INSERT INTO v1_images VALUES ('{complete}', '{Empty}', NULL, '{layer}', 3, '{layer}', 0, 'sha256:x', 'sha256:x', 1, '2024-01-01T00:00:00.0000000+00:00');
                INSERT INTO v1_images VALUES ('{incomplete}', '{Empty}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, '2024-01-01T00:00:00.0000000+00:00');
                INSERT INTO v1_repository_images VALUES ('alice/app', '{complete}'), ('bob/loot', '{complete}'), ('alice/app', '{incomplete}');
                INSERT INTO blob_links VALUES ('alice/app', '{layer}', 3);
                """;
            command.ExecuteNonQuery();
        }

        var store = new SqliteV1ImageStore(db);
        var ct = CancellationToken.None;
        Assert.NotNull(await store.GetImageAsync(RepositoryName.Parse("alice/app"), complete, ct));
        Assert.Null(await store.GetImageAsync(RepositoryName.Parse("bob/loot"), complete, ct));
        Assert.Null(await store.GetImageAsync(RepositoryName.Parse("alice/app"), incomplete, ct));
        // Opening again (every start does) changes nothing.
        var again = new SqliteV1ImageStore(new SqliteDatabase(path));
        Assert.NotNull(await again.GetImageAsync(RepositoryName.Parse("alice/app"), complete, ct));
    }
}
