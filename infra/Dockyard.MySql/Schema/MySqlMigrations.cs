namespace Dockyard.MySql.Schema;

/// <summary>
/// The schema as numbered migrations. Every table is utf8mb4 with the binary collation: names compare byte for byte
/// (tags <c>latest</c> and <c>Latest</c> are two rows) and listings sort as SQLite's do. Key columns are bounded so a
/// primary key stays within InnoDB's 3072 bytes (4 bytes a character): repositories 255, digests 150, tags 128.
/// Free text that is never a key is TEXT or MEDIUMTEXT.
/// </summary>
internal static class MySqlMigrations
{
    private const string Table = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC";

    public static IReadOnlyList<MySqlMigration> All { get; } =
    [
        new(1, "registry metadata", $"""
            CREATE TABLE IF NOT EXISTS repositories (name VARCHAR(255) NOT NULL PRIMARY KEY) {Table};
            CREATE TABLE IF NOT EXISTS blob_links (
                repository VARCHAR(255) NOT NULL, digest VARCHAR(150) NOT NULL, size BIGINT NOT NULL, linked_at DATETIME(6) NOT NULL,
                PRIMARY KEY (repository, digest), KEY blob_links_by_digest (digest)) {Table};
            CREATE TABLE IF NOT EXISTS manifests (
                repository VARCHAR(255) NOT NULL, digest VARCHAR(150) NOT NULL, media_type TEXT NOT NULL, size BIGINT NOT NULL,
                subject VARCHAR(150) NULL, artifact_type TEXT NULL, annotations MEDIUMTEXT NULL, created_at DATETIME(6) NOT NULL,
                touched_at DATETIME(6) NOT NULL, PRIMARY KEY (repository, digest)) {Table};
            CREATE TABLE IF NOT EXISTS referrers (
                repository VARCHAR(255) NOT NULL, subject VARCHAR(150) NOT NULL, digest VARCHAR(150) NOT NULL, media_type TEXT NOT NULL,
                size BIGINT NOT NULL, artifact_type TEXT NULL, annotations MEDIUMTEXT NULL,
                PRIMARY KEY (repository, subject, digest)) {Table};
            CREATE TABLE IF NOT EXISTS tags (
                repository VARCHAR(255) NOT NULL, tag VARCHAR(128) NOT NULL, digest VARCHAR(150) NOT NULL,
                PRIMARY KEY (repository, tag), KEY tags_by_digest (repository, digest)) {Table};
            CREATE TABLE IF NOT EXISTS uploads (
                repository VARCHAR(255) NOT NULL, id VARCHAR(128) NOT NULL, size BIGINT NOT NULL, parts LONGTEXT NOT NULL,
                started_at DATETIME(6) NOT NULL, client VARCHAR(255) NULL,
                PRIMARY KEY (repository, id), KEY uploads_by_start (started_at), KEY uploads_by_client (client)) {Table};
            CREATE TABLE IF NOT EXISTS gc_condemned (digest VARCHAR(150) NOT NULL PRIMARY KEY, condemned_at DATETIME(6) NOT NULL) {Table};
            CREATE TABLE IF NOT EXISTS gc_lease (id TINYINT NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, expires_at DATETIME(6) NOT NULL) {Table};
            """),
        new(2, "accounts", $"""
            CREATE TABLE IF NOT EXISTS namespaces (name VARCHAR(255) NOT NULL PRIMARY KEY, kind VARCHAR(16) NOT NULL) {Table};
            CREATE TABLE IF NOT EXISTS users (
                name VARCHAR(255) NOT NULL PRIMARY KEY, email TEXT NULL, password_hash TEXT NULL, real_name TEXT NULL, comment TEXT NULL,
                is_admin TINYINT NOT NULL, source VARCHAR(64) NOT NULL, created_at DATETIME(6) NOT NULL) {Table};
            CREATE TABLE IF NOT EXISTS organizations (
                name VARCHAR(255) NOT NULL PRIMARY KEY, email TEXT NULL, comment TEXT NULL, url TEXT NULL, location TEXT NULL,
                member_privilege INT NOT NULL, created_at DATETIME(6) NOT NULL) {Table};
            CREATE TABLE IF NOT EXISTS organization_members (
                organization VARCHAR(255) NOT NULL, member VARCHAR(255) NOT NULL, role INT NOT NULL,
                PRIMARY KEY (organization, member)) {Table};
            CREATE TABLE IF NOT EXISTS teams (
                organization VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, comment TEXT NULL,
                PRIMARY KEY (organization, name)) {Table};
            CREATE TABLE IF NOT EXISTS team_members (
                organization VARCHAR(255) NOT NULL, team VARCHAR(255) NOT NULL, member VARCHAR(255) NOT NULL, role INT NOT NULL,
                PRIMARY KEY (organization, team, member), KEY team_members_by_member (organization, member)) {Table};
            CREATE TABLE IF NOT EXISTS team_repositories (
                organization VARCHAR(255) NOT NULL, team VARCHAR(255) NOT NULL, repository VARCHAR(255) NOT NULL, permit INT NOT NULL,
                PRIMARY KEY (organization, team, repository), KEY team_repositories_by_repository (organization, repository)) {Table};
            CREATE TABLE IF NOT EXISTS repository_policies (
                namespace VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, is_public TINYINT NOT NULL, comment TEXT NULL,
                created_at DATETIME(6) NOT NULL, owner VARCHAR(255) NULL, PRIMARY KEY (namespace, name)) {Table};
            """),
        new(3, "docker v1 images, appc, signatures, notification queue", $"""
            CREATE TABLE IF NOT EXISTS v1_repository_image_records (
                repository VARCHAR(255) NOT NULL, id VARCHAR(128) NOT NULL, image_json MEDIUMTEXT NOT NULL, parent VARCHAR(128) NULL,
                layer_digest VARCHAR(150) NULL, layer_size BIGINT NULL, diff_id VARCHAR(150) NULL, gzip TINYINT NULL,
                payload_checksum TEXT NULL, checksum TEXT NULL, complete TINYINT NOT NULL, created_at DATETIME(6) NOT NULL,
                PRIMARY KEY (repository, id)) {Table};
            CREATE TABLE IF NOT EXISTS v1_repository_images (
                repository VARCHAR(255) NOT NULL, image VARCHAR(128) NOT NULL,
                PRIMARY KEY (repository, image), KEY v1_repository_images_by_image (image, repository)) {Table};
            CREATE TABLE IF NOT EXISTS v1_tags (
                repository VARCHAR(255) NOT NULL, tag VARCHAR(128) NOT NULL, image VARCHAR(128) NOT NULL, PRIMARY KEY (repository, tag)) {Table};
            CREATE TABLE IF NOT EXISTS aci_images (
                repository VARCHAR(255) NOT NULL, version VARCHAR(128) NOT NULL, os VARCHAR(32) NOT NULL, arch VARCHAR(32) NOT NULL,
                aci VARCHAR(150) NOT NULL, aci_size BIGINT NOT NULL, signature VARCHAR(150) NOT NULL, image_id TEXT NOT NULL,
                manifest MEDIUMTEXT NOT NULL, created_at DATETIME(6) NOT NULL, PRIMARY KEY (repository, version, os, arch)) {Table};
            CREATE TABLE IF NOT EXISTS aci_uploads (
                repository VARCHAR(255) NOT NULL, id VARCHAR(128) NOT NULL, file_name TEXT NOT NULL, manifest MEDIUMTEXT NULL,
                aci_part TEXT NULL, signature_part TEXT NULL, started_at DATETIME(6) NOT NULL,
                PRIMARY KEY (repository, id), KEY aci_uploads_by_start (started_at)) {Table};
            CREATE TABLE IF NOT EXISTS aci_keys (
                repository VARCHAR(255) NOT NULL, fingerprint VARCHAR(500) NOT NULL, armored MEDIUMTEXT NOT NULL, added_at DATETIME(6) NOT NULL,
                PRIMARY KEY (repository, fingerprint)) {Table};
            CREATE TABLE IF NOT EXISTS aci_conversions (
                repository VARCHAR(255) NOT NULL, manifest VARCHAR(150) NOT NULL, aci VARCHAR(150) NOT NULL, size BIGINT NOT NULL,
                PRIMARY KEY (repository, manifest)) {Table};
            CREATE TABLE IF NOT EXISTS image_signatures (
                repository VARCHAR(255) NOT NULL, manifest VARCHAR(150) NOT NULL, name VARCHAR(300) NOT NULL, type TEXT NOT NULL,
                schema_version INT NOT NULL, content VARCHAR(150) NOT NULL, size BIGINT NOT NULL, created_at DATETIME(6) NOT NULL,
                PRIMARY KEY (repository, manifest, name)) {Table};
            CREATE TABLE IF NOT EXISTS notification_events (
                endpoint VARCHAR(255) NOT NULL, seq VARCHAR(128) NOT NULL, payload MEDIUMTEXT NOT NULL,
                attempts INT NOT NULL DEFAULT 0, last_attempt DATETIME(6) NULL, PRIMARY KEY (endpoint, seq)) {Table};
            CREATE TABLE IF NOT EXISTS notification_leases (
                endpoint VARCHAR(255) NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, expires_at DATETIME(6) NOT NULL) {Table};
            """),
        new(4, "volume leases", $"""
            CREATE TABLE IF NOT EXISTS volume_leases (
                repository VARCHAR(255) NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, token BIGINT NOT NULL,
                expires_at DATETIME(6) NOT NULL, revision BIGINT NOT NULL) {Table};
            """),
        new(5, "p2p tracker and piece hashes", $"""
            CREATE TABLE IF NOT EXISTS peer_announcements (
                digest VARCHAR(150) NOT NULL, agent VARCHAR(64) NOT NULL, address VARCHAR(255) NOT NULL, expires_at DATETIME(6) NOT NULL,
                PRIMARY KEY (digest, agent)) {Table};
            CREATE TABLE IF NOT EXISTS blob_pieces (
                digest VARCHAR(150) NOT NULL, piece_size INT NOT NULL, size BIGINT NOT NULL, hashes MEDIUMTEXT NOT NULL,
                PRIMARY KEY (digest, piece_size)) {Table};
            """),
        new(6, "web ui session keys", $"""
            CREATE TABLE IF NOT EXISTS session_keys (name VARCHAR(255) NOT NULL PRIMARY KEY, content MEDIUMTEXT NOT NULL) {Table};
            """),
        new(7, "garbage collection run history", $"""
            CREATE TABLE IF NOT EXISTS gc_runs (id VARCHAR(64) NOT NULL PRIMARY KEY, content TEXT NOT NULL) {Table};
            """),
        // A manifest's bytes beside its record (see StoredManifest), so that a pull by tag or digest is one query and no
        // blob-store read. MEDIUMBLOB: BLOB stops one byte short of the 64 KiB inline limit. Null for rows written
        // before this step and for manifests past the limit, which are read from the blob store as before.
        new(8, "inline manifest bytes", "ALTER TABLE manifests ADD COLUMN content MEDIUMBLOB NULL", AddsColumn: true),
    ];
}
