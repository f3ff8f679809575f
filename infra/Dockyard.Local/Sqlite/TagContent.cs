using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// A tag's own copy of what a pull by tag answers with: the digest, the manifest's record and its bytes, in one row of
/// a rowid table (<c>tag_content</c>) keyed by <see cref="SqliteTagKey"/>. A pull by tag reads one leaf of one B-tree
/// (plus overflow pages for a manifest over about 4 KiB), whose interior pages hold only integers.
/// </summary>
/// <remarks>
/// Why: with the tag's row in <c>tags</c> (keyed by text) and the bytes in <c>manifest_bytes</c>, a pull by tag read a
/// leaf of each; at a million manifests both are cold in every cache, and those two leaves were most of what the
/// registry's size added to a GET (docs/benchmarks.md, "Scale"). The price is the bytes once more per tag.
/// <para>
/// Kept true in the tag's write transaction: <see cref="StoreAsync"/> after the tag is set (and for a manifest's tags
/// when its bytes are stored later); triggers on <c>tags</c> delete the copy with the tag (tag delete, manifest delete,
/// repository erase, retention) and when a tag moves to another digest, also when the writer is an older version that
/// knows nothing of this table. Only manifests whose bytes the file holds get a copy.
/// </para>
/// Two tags with the same key: the row holds its repository and tag, a read checks them, and a write never takes a row
/// another tag holds; the second tag is served the way tags are without a copy (rows older versions wrote among them):
/// <c>tags</c>, then the content row or the record (see <see cref="ManifestBytes"/>).
/// </remarks>
internal static class TagContent
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS tag_content (
            id INTEGER PRIMARY KEY, repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL,
            media_type TEXT NOT NULL, size INTEGER NOT NULL, subject TEXT, artifact_type TEXT, annotations TEXT,
            created_at TEXT NOT NULL, content BLOB NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS tag_content_by_tag ON tag_content (repository, tag);
        CREATE TRIGGER IF NOT EXISTS tag_content_follow_delete AFTER DELETE ON tags
        BEGIN DELETE FROM tag_content WHERE repository = old.repository AND tag = old.tag; END;
        CREATE TRIGGER IF NOT EXISTS tag_content_follow_insert AFTER INSERT ON tags
        BEGIN DELETE FROM tag_content WHERE repository = new.repository AND tag = new.tag AND digest <> new.digest; END;
        CREATE TRIGGER IF NOT EXISTS tag_content_follow_update AFTER UPDATE OF repository, tag, digest ON tags
        BEGIN DELETE FROM tag_content WHERE repository = old.repository AND tag = old.tag; END;
        """;

    /// <summary>Adds the table, its index and the triggers (after the stores' own schema).</summary>
    internal static void EnsureSchema(SqliteDatabase db) => db.EnsureSchema(Schema);

    /// <summary>
    /// The first part of a pull by tag: digest, the record's columns in <see cref="SqliteManifestIndex.Columns"/>' order,
    /// the bytes; no row when the tag has no copy. The unary <c>+</c> keeps the planner on the integer key.
    /// </summary>
    internal static readonly string Lookup = $"""
        SELECT c.digest, {SqliteManifestIndex.ColumnsOf("c")}, c.content FROM tag_content c
        WHERE c.id = $key AND +c.repository = $repository AND +c.tag = $tag
        """;

    // The record from manifests, the bytes from its content row or (first layout) the record itself.
    private static readonly string Store = $"""
        INSERT INTO tag_content (id, repository, tag, digest, {SqliteManifestIndex.Columns}, content)
        SELECT $key, $repository, $tag, m.digest, {SqliteManifestIndex.ColumnsOf("m")}, {ManifestBytes.Content}
        FROM manifests m {ManifestBytes.Join}
        WHERE m.repository = $repository AND m.digest = $digest AND {ManifestBytes.Content} IS NOT NULL
        ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, {Updates}, content = excluded.content
        WHERE tag_content.repository = excluded.repository AND tag_content.tag = excluded.tag
        """;

    private static string Updates => string.Join(", ", SqliteManifestIndex.Columns.Split(", ").Select(c => $"{c} = excluded.{c}"));

    /// <summary>Copies <paramref name="digest"/>'s record and bytes into <paramref name="tag"/>'s row, inside the caller's write transaction.</summary>
    internal static Task StoreAsync(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, string tag, Digest digest,
        CancellationToken cancellationToken) =>
        SqliteDatabase.ExecuteAsync(connection, transaction, Store, cancellationToken, ("$key", SqliteTagKey.Of(repository.Value, tag)),
            ("$repository", repository.Value), ("$tag", tag), ("$digest", digest.Value));

    /// <summary>As <see cref="StoreAsync"/> for every tag on <paramref name="digest"/>: its bytes were stored after its tags.</summary>
    internal static async Task StoreTagsOfAsync(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, Digest digest,
        CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT tag FROM tags WHERE repository = $repository AND digest = $digest";
            command.Parameters.AddWithValue("$repository", repository.Value);
            command.Parameters.AddWithValue("$digest", digest.Value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tags.Add(reader.GetString(0));
            }
        }
        foreach (var tag in tags)
        {
            await StoreAsync(connection, transaction, repository, tag, digest, cancellationToken);
        }
    }
}
