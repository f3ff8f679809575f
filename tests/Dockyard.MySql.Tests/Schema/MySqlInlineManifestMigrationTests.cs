using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.MySql.Schema;

namespace Dockyard.MySql.Tests.Schema;

/// <summary>
/// Step 8 adds the manifests' <c>content</c> column to a database that already holds manifests: their rows keep working
/// without bytes (read from the blob store) and get them at their next push.
/// </summary>
public sealed class MySqlInlineManifestMigrationTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_manifest_stored_before_the_content_column_is_read_without_bytes_then_gets_them_when_pushed_again()
    {
        if (MariaDb.ConnectionString is not { } server)
        {
            return;
        }
        var options = await MariaDb.CreateDatabaseAsync(server);
        try
        {
            var db = MySqlRegistration.Open(options, TimeSpan.FromSeconds(60));
            var repository = RepositoryName.Parse("team/app");
            var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"before":"step 8"}""");
            var record = new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null,
                new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
            // The database as step 7 left it, holding a manifest and a tag written then.
            var scoped = MariaDb.ConnectionTo(server, options.Database!);
            await MariaDb.ScalarAsync(scoped, "ALTER TABLE manifests DROP COLUMN content; DELETE FROM schema_migrations WHERE version = 8");
            await MariaDb.ScalarAsync(scoped, $"""
                INSERT INTO repositories (name) VALUES ('team/app');
                INSERT INTO manifests (repository, digest, media_type, size, created_at, touched_at)
                VALUES ('team/app', '{record.Digest.Value}', '{record.MediaType}', {bytes.Length}, '2026-01-02 03:04:05', '2026-01-02 03:04:05');
                INSERT INTO tags (repository, tag, digest) VALUES ('team/app', 'v1', '{record.Digest.Value}');
                """);

            Assert.Equal([8], await MySqlMigrator.MigrateAsync(db, Ct));
            var store = new MySqlMetadataStore(db);
            var old = await store.GetTaggedManifestContentAsync(repository, "v1", Ct);
            Assert.NotNull(old);
            Assert.Equal(record, old.Record);
            Assert.Null(old.Content);

            await store.Manifests.PutAsync(repository, record, bytes, Ct);

            Assert.Equal(bytes, (await store.GetTaggedManifestContentAsync(repository, "v1", Ct))!.Content);
            Assert.Equal(bytes, (await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);
            Assert.Equal(record, (await store.Manifests.GetAsync(repository, record.Digest, Ct))!);
        }
        finally
        {
            await MariaDb.DropDatabaseAsync(server, options.Database!);
        }
    }
}
