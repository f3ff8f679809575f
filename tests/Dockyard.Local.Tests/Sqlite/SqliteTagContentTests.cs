using Dockyard.Core.Metadata;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;
using static Dockyard.Local.Tests.Sqlite.TestManifests;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// A tag's own copy of its manifest (<c>tag_content</c>, keyed by a hash of repository and tag) is what a pull by tag
/// reads: it follows re-tags, late bytes and every delete, also an older version's writes; a row another tag holds at
/// the same key is neither served nor taken; tags without a copy are still served.
/// </summary>
public sealed class SqliteTagContentTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempFolder folder = new();
    private readonly SqliteRawFile file;

    public SqliteTagContentTests() => file = new SqliteRawFile(folder.Combine("metadata.db"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public void The_key_is_the_first_8_bytes_of_the_SHA_256_of_repository_colon_tag()
    {
        // Stored in the file: a different value for the same tag would orphan every row written before.
        Assert.Equal(BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData("team/app:v1"u8)), SqliteTagKey.Of("team/app", "v1"));
        Assert.NotEqual(SqliteTagKey.Of("team/app", "v1"), SqliteTagKey.Of("team/app", "v2"));
        Assert.NotEqual(SqliteTagKey.Of("team/ap", "pv1"), SqliteTagKey.Of("team/app", "v1"));
    }

    [Fact]
    public async Task A_tag_gets_a_copy_that_follows_a_re_tag()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (a, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""", """{"k":"a"}""");
        var (b, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""");

        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);
        Assert.Equal(aRecord.Digest.Value, CopiedDigest("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);

        await store.Tags.SetAsync(Repository, "v1", bRecord.Digest, Ct);
        Assert.Equal(bRecord.Digest.Value, CopiedDigest("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), bRecord, b);
        Assert.Equal(1L, file.Scalar("SELECT COUNT(*) FROM tag_content"));
    }

    [Fact]
    public async Task The_copy_is_what_a_pull_by_tag_reads()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (_, record) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""");
        await store.Tags.SetAsync(Repository, "v1", record.Digest, Ct);

        // Bytes of the same length in the copy only: served, so the GET did not read tags or manifest_bytes.
        var marked = """{"schemaVersion":2,"n":"A"}"""u8.ToArray();
        file.Execute("UPDATE tag_content SET content = $content", ("$content", marked));

        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), record, marked);
    }

    [Fact]
    public async Task Deleting_the_tag_the_manifest_or_the_repository_deletes_the_copy()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (_, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""");
        var (_, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""");
        var (_, cRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"c"}""");
        await store.Tags.SetAsync(Repository, "a", aRecord.Digest, Ct);
        await store.Tags.SetAsync(Repository, "b", bRecord.Digest, Ct);
        await store.Tags.SetAsync(Repository, "b2", bRecord.Digest, Ct);
        await store.Tags.SetAsync(Repository, "c", cRecord.Digest, Ct);
        Assert.Equal(4L, file.Scalar("SELECT COUNT(*) FROM tag_content"));

        Assert.True(await store.Tags.DeleteAsync(Repository, "a", Ct));
        Assert.Null(CopiedDigest("a"));
        Assert.Null(await store.GetTaggedManifestContentAsync(Repository, "a", Ct));
        // Garbage collection of the now untagged manifest.
        Assert.True(await store.Manifests.DeleteIfUnusedAsync(Repository, aRecord.Digest, DateTimeOffset.UtcNow.AddMinutes(1), Ct));

        Assert.True(await store.Manifests.DeleteAsync(Repository, bRecord.Digest, Ct));
        Assert.Null(CopiedDigest("b"));
        Assert.Null(CopiedDigest("b2"));
        Assert.Null(await store.GetTaggedManifestContentAsync(Repository, "b2", Ct));

        Assert.True(await store.Repositories.DeleteAsync(Repository, Ct));
        Assert.Null(await store.GetTaggedManifestContentAsync(Repository, "c", Ct));
        Assert.Equal(0L, file.Scalar("SELECT COUNT(*) FROM tag_content"));
        Assert.Equal(0L, file.Scalar("SELECT COUNT(*) FROM manifest_bytes"));
    }

    [Fact]
    public async Task A_row_another_tag_holds_at_the_same_key_is_neither_served_nor_taken()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (a, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""");
        var (b, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""");
        await store.Tags.SetAsync(Repository, "other", bRecord.Digest, Ct);
        // A collision: tag "other" moved to the key of "v1" (64-bit keys collide too rarely to find one for a test).
        file.Execute("UPDATE tag_content SET id = $key", ("$key", SqliteTagKey.Of(Repository.Value, "v1")));

        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);

        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);
        Assert.Equal("other", file.Text("SELECT tag FROM tag_content WHERE id = $key", ("$key", SqliteTagKey.Of(Repository.Value, "v1"))));
        Assert.Equal(bRecord.Digest.Value, CopiedDigest("other"));
        // "other" is served through tags (its key holds nothing), "v1" again after a re-tag and a delete.
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "other", Ct), bRecord, b);
        await store.Tags.SetAsync(Repository, "v1", bRecord.Digest, Ct);
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), bRecord, b);
        Assert.True(await store.Tags.DeleteAsync(Repository, "v1", Ct));
        Assert.Equal(bRecord.Digest.Value, CopiedDigest("other"));
        Assert.Null(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct));
    }

    [Fact]
    public async Task A_re_tag_by_an_older_version_drops_the_copy_and_the_tag_serves_its_new_manifest()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (_, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""");
        var (b, bRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"b"}""");
        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);

        // What the previous version's SetAsync runs: it knows nothing of tag_content.
        file.Execute("""
            INSERT OR REPLACE INTO tags (repository, tag, digest, content_id)
            VALUES ($repository, 'v1', $digest, (SELECT content_id FROM manifests WHERE repository = $repository AND digest = $digest))
            """, ("$repository", Repository.Value), ("$digest", bRecord.Digest.Value));

        Assert.Null(CopiedDigest("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), bRecord, b);
    }

    [Fact]
    public async Task Tags_without_a_copy_are_served_and_get_one_when_set_again()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (a, aRecord) = await PutAsync(store, """{"schemaVersion":2,"n":"a"}""", """{"k":"a"}""");
        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);
        // As a file an earlier version wrote: the tag and its pointer, no copy.
        file.Execute("DELETE FROM tag_content");

        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);
        await store.Tags.SetAsync(Repository, "v1", aRecord.Digest, Ct);
        Assert.Equal(aRecord.Digest.Value, CopiedDigest("v1"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v1", Ct), aRecord, a);
    }

    [Fact]
    public async Task A_tag_set_before_its_manifests_bytes_gets_its_copy_with_them()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (bytes, record) = Manifest("""{"schemaVersion":2,"late":1}""");
        await store.Manifests.PutAsync(Repository, record, Ct);
        await store.Tags.SetAsync(Repository, "v1", record.Digest, Ct);
        await store.Tags.SetAsync(Repository, "v2", record.Digest, Ct);
        Assert.Null(CopiedDigest("v1"));
        Assert.Null((await store.GetTaggedManifestContentAsync(Repository, "v1", Ct))!.Content);

        await store.Manifests.PutAsync(Repository, record, bytes, Ct);

        Assert.Equal(record.Digest.Value, CopiedDigest("v1"));
        Assert.Equal(record.Digest.Value, CopiedDigest("v2"));
        AssertServed(await store.GetTaggedManifestContentAsync(Repository, "v2", Ct), record, bytes);
    }

    [Fact]
    public async Task A_manifest_over_the_inline_limit_gets_no_copy()
    {
        var store = new SqliteMetadataStore(folder.Combine("metadata.db"));
        var (bytes, record) = Manifest($$"""{"schemaVersion":2,"pad":"{{new string('x', StoredManifest.InlineLimit)}}"}""");
        await store.Manifests.PutAsync(Repository, record, bytes, Ct);
        await store.Tags.SetAsync(Repository, "big", record.Digest, Ct);

        Assert.Null(CopiedDigest("big"));
        var served = await store.GetTaggedManifestContentAsync(Repository, "big", Ct);
        Assert.Equal(record, served!.Record);
        Assert.Null(served.Content);
    }

    private string? CopiedDigest(string tag) =>
        file.Text("SELECT digest FROM tag_content WHERE repository = $repository AND tag = $tag", ("$repository", Repository.Value), ("$tag", tag));
}
