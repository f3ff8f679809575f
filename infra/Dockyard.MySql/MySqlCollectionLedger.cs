using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql;

/// <summary>Garbage collection's condemned blobs and lease, in two small tables.</summary>
internal sealed class MySqlCollectionLedger(MySqlDatabase db) : ICollectionLedger
{
    public Task CondemnAsync(Digest digest, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            INSERT INTO gc_condemned (digest, condemned_at) VALUES (@digest, @now) ON DUPLICATE KEY UPDATE condemned_at = VALUES(condemned_at)
            """, cancellationToken, ("@digest", digest.Value), ("@now", MySqlText.Now()));

    public Task ReleaseAsync(Digest digest, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM gc_condemned WHERE digest = @digest", cancellationToken, ("@digest", digest.Value));

    public async Task<IReadOnlyCollection<Digest>> FindCondemnedAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var condemned = new List<Digest>();
        var since = DateTimeOffset.UtcNow - ICollectionLedger.CondemnationLifetime;
        // One query per batch keeps a manifest with hundreds of layers to a few round trips.
        foreach (var batch in digests.Chunk(200))
        {
            var names = batch.Select((_, i) => "@d" + i).ToArray();
            var parameters = batch.Select((d, i) => (names[i], (object?)d.Value)).Append(("@since", MySqlText.CutOff(since))).ToArray();
            condemned.AddRange(await db.QueryAsync($"SELECT digest FROM gc_condemned WHERE digest IN ({string.Join(", ", names)}) AND condemned_at >= @since",
                r => Digest.Parse(r.GetString(0)), cancellationToken, parameters));
        }
        return condemned;
    }

    /// <summary>
    /// Takes the single lease row when there is none, else when this holder has it or it expired. Two statements in
    /// autocommit rather than one transaction: a lost insert race only means the conditional UPDATE decides.
    /// </summary>
    public async Task<bool> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        (string, object?)[] values = [("@holder", holder), ("@until", MySqlText.Time(now + duration)), ("@now", MySqlText.CutOff(now))];
        return await db.TryInsertAsync("INSERT INTO gc_lease (id, holder, expires_at) VALUES (1, @holder, @until)", cancellationToken, values)
            || await db.ExecuteAsync("UPDATE gc_lease SET holder = @holder, expires_at = @until WHERE id = 1 AND (holder = @holder OR expires_at < @now)",
                cancellationToken, values) > 0;
    }

    public Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM gc_lease WHERE holder = @holder", cancellationToken, ("@holder", holder));
}
