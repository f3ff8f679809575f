using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Upload sessions in the <c>uploads</c> table. The committed parts are one text column, "id:size" pairs joined by
/// ',' in upload order, next to their total <c>size</c>, which is what the conditional write compares.
/// </summary>
internal sealed class SqliteUploadSessionStore : IUploadSessionStore
{
    private readonly SqliteDatabase db;

    public SqliteUploadSessionStore(SqliteDatabase db)
    {
        this.db = db;
        // Files from before the per-client upload cap: their sessions have no client and count for no one.
        db.EnsureColumn("uploads", "client", "TEXT");
        db.EnsureSchema("CREATE INDEX IF NOT EXISTS uploads_by_client ON uploads (client) WHERE client IS NOT NULL;");
    }

    public Task CreateAsync(UploadSession session, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqliteRepositoryIndex.EnsureAsync(c, t, session.Repository, cancellationToken);
            return await SqliteDatabase.ExecuteAsync(c, t,
                "INSERT INTO uploads (repository, id, size, parts, started_at, client) VALUES ($repository, $id, $size, $parts, $started, $client)",
                cancellationToken, ("$repository", session.Repository.Value), ("$id", session.Id), ("$size", session.Size),
                ("$parts", UploadPartsText.Format(session.Parts)), ("$started", SqliteText.Time(session.StartedAt)), ("$client", session.Client));
        }, cancellationToken);

    public Task<UploadSession?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT parts, started_at, client FROM uploads WHERE repository = $repository AND id = $id",
            r => new UploadSession(id, repository, UploadPartsText.Parse(r.GetString(0)), SqliteText.ParseTime(r.GetString(1)), SqliteText.Nullable(r, 2)),
            cancellationToken, ("$repository", repository.Value), ("$id", id));

    public async Task<bool> TryAdvanceAsync(RepositoryName repository, string id, long expectedSize, UploadPart part, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part.Size);
        return await db.ExecuteAsync(
            """
            UPDATE uploads SET size = size + $partSize, parts = CASE parts WHEN '' THEN $part ELSE parts || ',' || $part END
            WHERE repository = $repository AND id = $id AND size = $expected
            """,
            cancellationToken, ("$repository", repository.Value), ("$id", id), ("$expected", expectedSize),
            ("$partSize", part.Size), ("$part", UploadPartsText.FormatPart(part))) > 0;
    }

    public async Task<IReadOnlyList<UploadSession>> ListStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository, id, parts, started_at, client FROM uploads WHERE started_at < $before ORDER BY started_at LIMIT $limit",
            r => new UploadSession(r.GetString(1), RepositoryName.Parse(r.GetString(0)), UploadPartsText.Parse(r.GetString(2)), SqliteText.ParseTime(r.GetString(3)),
                SqliteText.Nullable(r, 4)),
            cancellationToken, ("$before", SqliteText.Time(before)), ("$limit", limit));

    public async Task<bool> DeleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM uploads WHERE repository = $repository AND id = $id",
            cancellationToken, ("$repository", repository.Value), ("$id", id)) > 0;

    public async Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        (await db.QueryAsync($"SELECT COALESCE(SUM(size), 0) FROM uploads WHERE {SqliteNamespace.Condition}", r => r.GetInt64(0), cancellationToken,
            SqliteNamespace.Parameters(@namespace)))[0];

    public async Task<int> CountByClientAsync(string client, int atMost, CancellationToken cancellationToken) =>
        (int)(await db.QueryAsync("SELECT COUNT(*) FROM (SELECT 1 FROM uploads WHERE client = $client LIMIT $limit)", r => r.GetInt64(0),
            cancellationToken, ("$client", client), ("$limit", atMost)))[0];
}
