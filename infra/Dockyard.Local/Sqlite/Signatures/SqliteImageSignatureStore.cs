using Dockyard.Core.Names;
using Dockyard.Core.Signatures;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite.Signatures;

/// <summary>The signature API extension's index (<see cref="IImageSignatureStore"/>) in the same SQLite file as the registry metadata.</summary>
public sealed class SqliteImageSignatureStore : IImageSignatureStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS image_signatures (
            repository TEXT NOT NULL, manifest TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
            content TEXT NOT NULL, size INTEGER NOT NULL, created_at TEXT NOT NULL,
            PRIMARY KEY (repository, manifest, name)) WITHOUT ROWID;
        """;

    private const string Columns = "repository, manifest, name, type, schema_version, content, size, created_at";

    private readonly SqliteDatabase db;

    public SqliteImageSignatureStore(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public async Task<bool> TryAddAsync(ImageSignature signature, CancellationToken cancellationToken) =>
        await db.ExecuteAsync($"INSERT OR IGNORE INTO image_signatures ({Columns}) VALUES ($r, $m, $n, $t, $v, $c, $s, $at)", cancellationToken,
            ("$r", signature.Repository.Value), ("$m", signature.Manifest.Value), ("$n", signature.Name), ("$t", signature.Type),
            ("$v", signature.SchemaVersion), ("$c", signature.Content.Value), ("$s", signature.Size), ("$at", SqliteText.Time(signature.CreatedAt))) > 0;

    public Task<ImageSignature?> GetAsync(RepositoryName repository, Digest manifest, string name, CancellationToken cancellationToken) =>
        db.QuerySingleAsync($"SELECT {Columns} FROM image_signatures WHERE repository = $r AND manifest = $m AND name = $n", Read, cancellationToken,
            ("$r", repository.Value), ("$m", manifest.Value), ("$n", name));

    public async Task<IReadOnlyList<ImageSignature>> ListAsync(RepositoryName repository, Digest manifest, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM image_signatures WHERE repository = $r AND manifest = $m ORDER BY name LIMIT $limit", Read, cancellationToken,
            ("$r", repository.Value), ("$m", manifest.Value), ("$limit", limit));

    private static ImageSignature Read(SqliteDataReader r) => new(
        RepositoryName.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt32(4),
        Digest.Parse(r.GetString(5)), r.GetInt64(6), SqliteText.ParseTime(r.GetString(7)));

    public Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM image_signatures WHERE repository = $r", cancellationToken, ("$r", repository.Value));
}
