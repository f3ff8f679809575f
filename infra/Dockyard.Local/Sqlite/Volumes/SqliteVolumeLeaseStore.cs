using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Sqlite.Volumes;

/// <summary>Volume leases (<see cref="IVolumeLeaseStore"/>) in the metadata file: one row per repository, written on a matching revision.</summary>
public sealed class SqliteVolumeLeaseStore : IVolumeLeaseStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS volume_leases (
            repository TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL, expires_at TEXT NOT NULL,
            revision INTEGER NOT NULL) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase db;

    public SqliteVolumeLeaseStore(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public Task<VolumeLease?> GetAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT repository, holder, token, expires_at, revision FROM volume_leases WHERE repository = $r", Read, cancellationToken,
            ("$r", repository.Value));

    public async Task<bool> TryWriteAsync(VolumeLease lease, long? expectedRevision, CancellationToken cancellationToken)
    {
        (string, object?)[] values = [("$r", lease.Repository.Value), ("$h", lease.Holder), ("$t", lease.Token),
            ("$e", SqliteTime.Format(lease.ExpiresAt)), ("$v", lease.Revision), ("$expected", expectedRevision)];
        var sql = expectedRevision is null
            ? "INSERT OR IGNORE INTO volume_leases (repository, holder, token, expires_at, revision) VALUES ($r, $h, $t, $e, $v)"
            : "UPDATE volume_leases SET holder = $h, token = $t, expires_at = $e, revision = $v WHERE repository = $r AND revision = $expected";
        return await db.ExecuteAsync(sql, cancellationToken, values) == 1;
    }

    private static VolumeLease Read(SqliteDataReader r) =>
        new(RepositoryName.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2), SqliteTime.Parse(r.GetString(3)), r.GetInt64(4));
}
