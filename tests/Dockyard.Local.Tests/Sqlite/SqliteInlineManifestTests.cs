using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// The SQLite store keeps small manifests' bytes in its file (table manifest_bytes, which the record points at), so a
/// pull by tag or digest opens no file; rows an earlier version wrote with the bytes in the record are still read.
/// </summary>
public sealed class SqliteInlineManifestTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-inline-").FullName;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Small_manifests_are_read_back_inline_by_tag_and_by_digest()
    {
        var store = new SqliteMetadataStore(Path.Combine(folder, "metadata.db"));
        var repository = RepositoryName.Parse("app");
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        var record = new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null, DateTimeOffset.UnixEpoch);
        await store.Manifests.PutAsync(repository, record, bytes, Ct);
        await store.Tags.SetAsync(repository, "latest", record.Digest, Ct);

        Assert.Equal(bytes, (await store.GetTaggedManifestContentAsync(repository, "latest", Ct))!.Content);
        Assert.Equal(bytes, (await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);
    }

    [Fact]
    public async Task A_row_written_without_bytes_gets_them_when_the_manifest_is_pushed_again()
    {
        var store = new SqliteMetadataStore(Path.Combine(folder, "metadata.db"));
        var repository = RepositoryName.Parse("app");
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"old":1}""");
        var record = new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null, DateTimeOffset.UnixEpoch);
        await store.Manifests.PutAsync(repository, record, Ct);
        Assert.Null((await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);

        await store.Manifests.PutAsync(repository, record, bytes, Ct);

        Assert.Equal(bytes, (await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);
    }

    [Fact]
    public async Task The_bytes_sit_apart_from_the_record_once_and_go_when_the_record_goes()
    {
        var store = new SqliteMetadataStore(Path.Combine(folder, "metadata.db"));
        var repository = RepositoryName.Parse("app");
        var (bytes, record) = Manifest("""{"schemaVersion":2,"apart":1}""");
        var (other, otherRecord) = Manifest("""{"schemaVersion":2,"apart":2}""");
        await store.Manifests.PutAsync(repository, record, bytes, Ct);
        await store.Manifests.PutAsync(repository, record, bytes, Ct);
        await store.Manifests.PutAsync(repository, otherRecord, other, Ct);

        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM manifest_bytes"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM manifests WHERE content IS NOT NULL OR content_id IS NULL"));

        Assert.True(await store.Manifests.DeleteAsync(repository, record.Digest, Ct));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM manifest_bytes"));
        Assert.True(await store.Manifests.DeleteIfUnusedAsync(repository, otherRecord.Digest, DateTimeOffset.UtcNow.AddMinutes(1), Ct));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM manifest_bytes"));
    }

    [Fact]
    public async Task Bytes_an_earlier_version_kept_in_the_record_are_read_and_not_stored_twice()
    {
        var store = new SqliteMetadataStore(Path.Combine(folder, "metadata.db"));
        var repository = RepositoryName.Parse("app");
        var (bytes, record) = Manifest("""{"schemaVersion":2,"earlier":1}""");
        await store.Manifests.PutAsync(repository, record, Ct);
        using (var connection = Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE manifests SET content = $content";
            command.Parameters.AddWithValue("$content", bytes);
            command.ExecuteNonQuery();
        }
        await store.Tags.SetAsync(repository, "old", record.Digest, Ct);

        Assert.Equal(bytes, (await store.GetTaggedManifestContentAsync(repository, "old", Ct))!.Content);
        Assert.Equal(bytes, (await store.Manifests.GetContentAsync(repository, record.Digest, Ct))!.Content);
        await store.Manifests.PutAsync(repository, record, bytes, Ct);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM manifest_bytes"));
    }

    private static (byte[] Bytes, ManifestRecord Record) Manifest(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return (bytes, new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, null, null, null, DateTimeOffset.UnixEpoch));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "metadata.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
