using System.Globalization;
using System.Text;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// A tag points at its manifest's content row (bytes plus a copy of the record), so a pull by tag reads two B-trees:
/// the pointer follows re-tags, late bytes and deletes, a wrong pointer is never trusted, rows earlier versions wrote
/// are still served, and collecting a manifest still frees its bytes.
/// </summary>
public sealed class SqliteTagPointerTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");
    private readonly TempFolder folder = new();

    private string DatabasePath => folder.Combine("metadata.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task The_pointer_follows_a_re_tag_and_the_tag_serves_the_new_manifest()
    {
        var store = new SqliteMetadataStore(DatabasePath);
        var (a, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""", """{"k":"a"}""");
        var (b, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""", null);

        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);
        Assert.Equal(ContentRow(aRecord.Digest), Pointer("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);

        await store.Tags.SetAsync(Repository, "v1", bRecord.Digest, Ct);
        Assert.Equal(ContentRow(bRecord.Digest), Pointer("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), bRecord, b);
    }

    [Fact]
    public async Task Deleting_the_tag_or_the_manifest_leaves_nothing_to_serve_and_frees_the_bytes()
    {
        var store = new SqliteMetadataStore(DatabasePath);
        var (_, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""", null);
        var (_, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""", null);
        await store.Tags.SetAsync(Repository, "a", aRecord.Digest, Ct);
        await store.Tags.SetAsync(Repository, "b", bRecord.Digest, Ct);

        Assert.True(await store.Tags.DeleteAsync(Repository, "a", Ct));
        Assert.Null(await store.GetTaggedManifestContentAsync(Repository, "a", Ct));
        Assert.True(await store.Manifests.DeleteIfUnusedAsync(Repository, aRecord.Digest, DateTimeOffset.UtcNow.AddMinutes(1), Ct));
        Assert.True(await store.Manifests.DeleteAsync(Repository, bRecord.Digest, Ct));

        Assert.Null(await store.GetTaggedManifestContentAsync(Repository, "b", Ct));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM manifest_bytes"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM tags"));
    }

    [Fact]
    public async Task A_tag_on_a_manifest_kept_without_bytes_points_at_them_once_they_are_stored()
    {
        var store = new SqliteMetadataStore(DatabasePath);
        var (bytes, record) = Manifest("""{"schemaVersion":2,"late":1}""", null);
        await store.Manifests.PutAsync(Repository, record, Ct);
        await store.Tags.SetAsync(Repository, "v1", record.Digest, Ct);
        Assert.Null(Pointer("v1"));
        var withoutBytes = await store.GetTaggedManifestContentAsync(Repository, "v1", Ct);
        Assert.Equal(record, withoutBytes!.Record);
        Assert.Null(withoutBytes.Content);

        await store.Manifests.PutAsync(Repository, record, bytes, Ct);

        Assert.Equal(ContentRow(record.Digest), Pointer("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), record, bytes);
    }

    [Fact]
    public async Task A_pointer_at_another_manifests_row_is_not_trusted()
    {
        var store = new SqliteMetadataStore(DatabasePath);
        var (a, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""", null);
        var (_, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""", null);
        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);

        Execute($"UPDATE tags SET content_id = {ContentRow(bRecord.Digest)}");

        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);
        Execute("UPDATE tags SET content_id = 12345");
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);
    }

    [Fact]
    public async Task Rows_an_earlier_version_wrote_are_served_by_tag_and_digest_and_collected()
    {
        // The schema and rows as the previous version wrote them: content rows without the record, tags without
        // pointers; and a row of the first layout, its bytes in the record itself.
        var (second, secondRecord) = Manifest("""{"schemaVersion":2,"layout":2}""", """{"k":"2"}""");
        var (first, firstRecord) = Manifest("""{"schemaVersion":2,"layout":1}""", null);
        Execute("""
            CREATE TABLE manifests (
                repository TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
                subject TEXT, artifact_type TEXT, annotations TEXT, created_at TEXT NOT NULL, touched_at TEXT, content BLOB, content_id INTEGER,
                PRIMARY KEY (repository, digest)) WITHOUT ROWID;
            CREATE TABLE tags (repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (repository, tag)) WITHOUT ROWID;
            CREATE TABLE manifest_bytes (id INTEGER PRIMARY KEY, content BLOB NOT NULL);
            """);
        InsertEarlier(secondRecord, "v2", content: null, contentId: 7);
        Execute("INSERT INTO manifest_bytes (id, content) VALUES (7, $content)", ("$content", second));
        InsertEarlier(firstRecord, "v1", content: first, contentId: null);

        var store = new SqliteMetadataStore(DatabasePath);

        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v2", Ct), secondRecord, second);
        AssertServed(await store.Manifests.GetContentAsync(Repository, secondRecord.Digest, Ct), secondRecord, second);
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), firstRecord, first);
        AssertServed(await store.Manifests.GetContentAsync(Repository, firstRecord.Digest, Ct), firstRecord, first);

        // A tag this version sets on an earlier row points at a row without the record's copy: still served.
        await store.Tags.SetAsync(Repository, "again", secondRecord.Digest, Ct);
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "again", Ct), secondRecord, second);

        foreach (var tag in new[] { "v1", "v2", "again" })
        {
            Assert.True(await store.Tags.DeleteAsync(Repository, tag, Ct));
        }
        Assert.True(await store.Manifests.DeleteIfUnusedAsync(Repository, secondRecord.Digest, DateTimeOffset.UtcNow.AddMinutes(1), Ct));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM manifest_bytes"));
    }

    private static void AssertServed(StoredManifest? served, ManifestRecord record, byte[] bytes)
    {
        Assert.NotNull(served);
        Assert.Equal(record, served.Record);
        Assert.Equal(bytes, served.Content);
    }

    private static (byte[] Bytes, ManifestRecord Record) Manifest(string json, string? annotations)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return (bytes, new ManifestRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length,
            annotations is null ? null : Digest.Compute([1]), annotations is null ? null : "application/vnd.example", annotations,
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    }

    private static async Task<(byte[] Bytes, ManifestRecord Record)> PutAsync(SqliteMetadataStore store, string json, string? annotations)
    {
        var manifest = Manifest(json, annotations);
        await store.Manifests.PutAsync(Repository, manifest.Record, manifest.Bytes, Ct);
        return manifest;
    }

    private void InsertEarlier(ManifestRecord record, string tag, byte[]? content, long? contentId) => Execute("""
        INSERT INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, created_at, touched_at, content, content_id)
        VALUES ($repository, $digest, $media_type, $size, $subject, $artifact_type, $annotations, $created_at, $created_at, $content, $content_id);
        INSERT INTO tags (repository, tag, digest) VALUES ($repository, $tag, $digest);
        """, ("$repository", Repository.Value), ("$digest", record.Digest.Value), ("$media_type", record.MediaType), ("$size", record.Size),
        ("$subject", record.Subject?.Value), ("$artifact_type", record.ArtifactType), ("$annotations", record.AnnotationsJson),
        ("$created_at", record.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)), ("$content", content), ("$content_id", contentId), ("$tag", tag));

    private long? Pointer(string tag) => Scalar("SELECT content_id FROM tags WHERE tag = $tag", ("$tag", tag));

    private long? ContentRow(Digest digest) => Scalar("SELECT id FROM manifest_bytes WHERE digest = $digest", ("$digest", digest.Value));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private long? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar() is long value ? value : null;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
