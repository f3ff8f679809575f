using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// A manifest's bytes (up to <see cref="StoredManifest.InlineLimit"/>) in a rowid table of their own, which the
/// manifest's record points at (<c>manifests.content_id</c>), so a pull by tag or digest reads them from the metadata
/// file instead of opening a blob.
/// </summary>
/// <remarks>
/// Why not a column of <c>manifests</c>: that table is WITHOUT ROWID, and SQLite keeps whole records in the interior
/// pages of such a B-tree. With ~1.5 KiB of bytes in each record an interior page held about 8 keys, so at a million
/// manifests the tree was seven levels deep and every GET read several uncached pages plus an overflow page. Kept
/// apart, the records stay small (a shallow tree whose upper levels stay in the page cache) and the bytes sit in a
/// rowid B-tree, whose interior pages hold only integers and whose leaves hold a record this size without overflow.
/// Rows an earlier version wrote keep their bytes in <c>manifests.content</c>; reads take whichever is there.
/// </remarks>
internal static class ManifestBytes
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS manifest_bytes (id INTEGER PRIMARY KEY, content BLOB NOT NULL);
        CREATE TRIGGER IF NOT EXISTS manifest_bytes_follow_record AFTER DELETE ON manifests
        WHEN old.content_id IS NOT NULL BEGIN DELETE FROM manifest_bytes WHERE id = old.content_id; END;
        """;

    /// <summary>Joins a query over <c>manifests m</c> with the bytes; the bytes are null for a manifest kept without them.</summary>
    internal const string Join = "LEFT JOIN manifest_bytes b ON b.id = m.content_id";

    /// <summary>The bytes column of a query using <see cref="Join"/>.</summary>
    internal const string Content = "COALESCE(b.content, m.content)";

    /// <summary>
    /// Stores <paramref name="content"/> for a manifest record that has no bytes yet, inside the caller's write
    /// transaction; a record that has them (this table or the old column) keeps them.
    /// </summary>
    internal static async Task AttachAsync(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, Digest digest,
        byte[] content, CancellationToken cancellationToken)
    {
        (string, object?)[] key = [("$repository", repository.Value), ("$digest", digest.Value)];
        var stored = await SqliteDatabase.ExecuteAsync(connection, transaction, """
            INSERT INTO manifest_bytes (content) SELECT $content WHERE EXISTS (
                SELECT 1 FROM manifests WHERE repository = $repository AND digest = $digest AND content_id IS NULL AND content IS NULL)
            """, cancellationToken, [.. key, ("$content", content)]);
        if (stored > 0)
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction,
                "UPDATE manifests SET content_id = last_insert_rowid() WHERE repository = $repository AND digest = $digest",
                cancellationToken, key);
        }
    }
}
