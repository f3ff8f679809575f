using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Upload sessions in the <c>uploads</c> table. The committed parts are one text column, "id:size" pairs joined by
/// ',' in upload order, next to their total <c>size</c>, which is what the conditional write compares.
/// </summary>
internal sealed class SqliteUploadSessionStore(SqliteDatabase db) : IUploadSessionStore
{
    public Task CreateAsync(UploadSession session, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqliteRepositoryIndex.EnsureAsync(c, t, session.Repository, cancellationToken);
            return await SqliteDatabase.ExecuteAsync(c, t,
                "INSERT INTO uploads (repository, id, size, parts, started_at) VALUES ($repository, $id, $size, $parts, $started)",
                cancellationToken, ("$repository", session.Repository.Value), ("$id", session.Id), ("$size", session.Size),
                ("$parts", UploadPartsText.Format(session.Parts)), ("$started", SqliteText.Time(session.StartedAt)));
        }, cancellationToken);

    public Task<UploadSession?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT parts, started_at FROM uploads WHERE repository = $repository AND id = $id",
            r => new UploadSession(id, repository, UploadPartsText.Parse(r.GetString(0)), SqliteText.ParseTime(r.GetString(1))),
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
        await db.QueryAsync("SELECT repository, id, parts, started_at FROM uploads WHERE started_at < $before ORDER BY started_at LIMIT $limit",
            r => new UploadSession(r.GetString(1), RepositoryName.Parse(r.GetString(0)), UploadPartsText.Parse(r.GetString(2)), SqliteText.ParseTime(r.GetString(3))),
            cancellationToken, ("$before", SqliteText.Time(before)), ("$limit", limit));

    public async Task<bool> DeleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM uploads WHERE repository = $repository AND id = $id",
            cancellationToken, ("$repository", repository.Value), ("$id", id)) > 0;
}
