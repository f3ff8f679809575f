using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// A manifest's content row: its bytes (up to <see cref="StoredManifest.InlineLimit"/>) and a copy of its record, in
/// a rowid table of their own (<c>manifest_bytes</c>) that the manifest's record points at (<c>manifests.content_id</c>)
/// and so does every tag on it (<c>tags.content_id</c>). A pull by tag walks two B-trees, <c>tags</c> and this one;
/// a pull by digest walks <c>manifests</c> and this one. No blob file is opened.
/// </summary>
/// <remarks>
/// Why not a column of <c>manifests</c>: that table is WITHOUT ROWID, and SQLite keeps whole records in the interior
/// pages of such a B-tree. With ~1.5 KiB of bytes in each record an interior page held about 8 keys, so at a million
/// manifests the tree was seven levels deep and every GET read several uncached pages plus an overflow page. Kept
/// apart, the records stay small and the bytes sit in a rowid B-tree, whose interior pages hold only integers (a few
/// hundred at a million manifests, which the read connections' page caches keep) and whose leaves hold a row this
/// size without overflow. Why the record's copy: a pull by tag read three trees (tags, manifests, bytes), about seven
/// pages at a million manifests; with what it answers in the content row it reads two.
/// <para>
/// The record is immutable once stored (only <c>touched_at</c> and <c>content_id</c> change), so the copy cannot go
/// stale. A tag's pointer is set with the tag, and moved when a record gets its bytes later; a record's deletion
/// deletes its tags in the same transaction (or is refused while it has any), and its content row with it (trigger).
/// Reads trust a pointer only when the row it reaches holds the tag's digest, and otherwise take the three-tree path.
/// </para>
/// Rows earlier versions wrote are read as they are: bytes in <c>manifests.content</c> (the first layout), or a content
/// row without the record's copy and tags without pointers (the second); a pull by tag on them takes the three-tree path.
/// </remarks>
internal static class ManifestBytes
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS manifest_bytes (id INTEGER PRIMARY KEY, content BLOB NOT NULL);
        CREATE TRIGGER IF NOT EXISTS manifest_bytes_follow_record AFTER DELETE ON manifests
        WHEN old.content_id IS NOT NULL BEGIN DELETE FROM manifest_bytes WHERE id = old.content_id; END;
        """;

    // The record columns a content row copies, in SqliteManifestIndex.Columns' order after the digest.
    private static readonly (string Name, string Type)[] RecordColumns =
    [
        ("digest", "TEXT"), ("media_type", "TEXT"), ("size", "INTEGER"), ("subject", "TEXT"), ("artifact_type", "TEXT"),
        ("annotations", "TEXT"), ("created_at", "TEXT"),
    ];

    private static readonly string RecordColumnList = string.Join(", ", RecordColumns.Select(c => c.Name));

    /// <summary>Adds the columns and the table to a file any earlier version wrote (or to a new one).</summary>
    internal static void EnsureSchema(SqliteDatabase db)
    {
        db.EnsureColumn("manifests", "content_id", "INTEGER");
        db.EnsureColumn("tags", "content_id", "INTEGER");
        db.EnsureSchema(Schema);
        foreach (var (name, type) in RecordColumns)
        {
            db.EnsureColumn("manifest_bytes", name, type);
        }
    }

    /// <summary>Joins a query over <c>manifests m</c> with the bytes; the bytes are null for a manifest kept without them.</summary>
    internal const string Join = "LEFT JOIN manifest_bytes b ON b.id = m.content_id";

    /// <summary>The bytes column of a query using <see cref="Join"/>.</summary>
    internal const string Content = "COALESCE(b.content, m.content)";

    /// <summary>
    /// The value of <c>tags.content_id</c> for a tag on <c>$digest</c> in <c>$repository</c>: the record's content row,
    /// null when it has none.
    /// </summary>
    internal const string TagPointer = "(SELECT content_id FROM manifests WHERE repository = $repository AND digest = $digest)";

    /// <summary>
    /// Stores <paramref name="content"/> for a manifest record that has no bytes yet, with the record's copy, and points
    /// the record and its tags at it, inside the caller's write transaction; a record that has bytes (in this table or
    /// the old column) keeps them.
    /// </summary>
    internal static async Task AttachAsync(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, Digest digest,
        byte[] content, CancellationToken cancellationToken)
    {
        (string, object?)[] key = [("$repository", repository.Value), ("$digest", digest.Value)];
        var stored = await SqliteDatabase.ExecuteAsync(connection, transaction, $"""
            INSERT INTO manifest_bytes (content, {RecordColumnList}) SELECT $content, {RecordColumnList} FROM manifests
            WHERE repository = $repository AND digest = $digest AND content_id IS NULL AND content IS NULL
            """, cancellationToken, [.. key, ("$content", content)]);
        if (stored > 0)
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction, """
                UPDATE manifests SET content_id = last_insert_rowid() WHERE repository = $repository AND digest = $digest;
                UPDATE tags SET content_id = last_insert_rowid() WHERE repository = $repository AND digest = $digest;
                """, cancellationToken, key);
        }
    }
}
