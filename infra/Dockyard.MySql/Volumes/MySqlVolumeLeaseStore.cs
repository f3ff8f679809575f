using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using MySqlConnector;

namespace Dockyard.MySql.Volumes;

/// <summary>Volume leases (<see cref="IVolumeLeaseStore"/>): one row per repository, written on a matching revision.</summary>
public sealed class MySqlVolumeLeaseStore(MySqlDatabase db) : IVolumeLeaseStore
{
    public Task<VolumeLease?> GetAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT repository, holder, token, expires_at, revision FROM volume_leases WHERE repository = @r", Read, cancellationToken,
            ("@r", repository.Value));

    public async Task<bool> TryWriteAsync(VolumeLease lease, long? expectedRevision, CancellationToken cancellationToken)
    {
        (string, object?)[] values = [("@r", lease.Repository.Value), ("@h", lease.Holder), ("@t", lease.Token),
            ("@e", MySqlText.Time(lease.ExpiresAt)), ("@v", lease.Revision), ("@expected", expectedRevision)];
        // Found rows (not changed rows) are counted, so an update that matches the revision is 1 even if nothing differs.
        return expectedRevision is null
            ? await db.TryInsertAsync("INSERT INTO volume_leases (repository, holder, token, expires_at, revision) VALUES (@r, @h, @t, @e, @v)",
                cancellationToken, values)
            : await db.ExecuteAsync("UPDATE volume_leases SET holder = @h, token = @t, expires_at = @e, revision = @v WHERE repository = @r AND revision = @expected",
                cancellationToken, values) == 1;
    }

    private static VolumeLease Read(MySqlDataReader r) =>
        new(RepositoryName.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2), MySqlText.ReadTime(r, 3), r.GetInt64(4));
}
