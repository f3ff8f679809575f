namespace Dockyard.Local.Sqlite.V1;

/// <summary>
/// Files written before V1 images were kept per repository have one global <c>v1_images</c> table, where any
/// repository listing an id could read the image and a second push of the id was refused. Opening such a file moves
/// each complete image into the repositories that list it AND hold its layer blob — where it was pushed or tagged —
/// and drops the global table; incomplete images are dropped (their pushes restart). Repositories that only
/// announced an id get nothing, which closes the old leak for existing data too.
/// </summary>
internal static class V1SchemaMigration
{
    public const string MoveGlobalImages = """
        -- Run by EnsureSchemaIfTableExists in the schema's BEGIN IMMEDIATE transaction, after it found v1_images there; run again it moves nothing and drops an empty table.
        CREATE TABLE IF NOT EXISTS v1_images (id TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL, parent TEXT, layer_digest TEXT,
            layer_size INTEGER, diff_id TEXT, gzip INTEGER, payload_checksum TEXT, checksum TEXT, complete INTEGER NOT NULL,
            created_at TEXT NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO v1_repository_image_records
            (repository, id, json, parent, layer_digest, layer_size, diff_id, gzip, payload_checksum, checksum, complete, created_at)
            SELECT r.repository, i.id, i.json, i.parent, i.layer_digest, i.layer_size, i.diff_id, i.gzip, i.payload_checksum,
                   i.checksum, i.complete, i.created_at
            FROM v1_images i
            JOIN v1_repository_images r ON r.image = i.id
            JOIN blob_links b ON b.repository = r.repository AND b.digest = i.layer_digest
            WHERE i.complete = 1;
        DROP TABLE v1_images;
        """;
}
