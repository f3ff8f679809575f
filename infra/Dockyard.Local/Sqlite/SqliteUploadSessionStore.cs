using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

internal sealed class SqliteUploadSessionStore(SqliteDatabase db) : IUploadSessionStore
{
    public Task CreateAsync(UploadSession session, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqliteRepositoryIndex.EnsureAsync(c, t, session.Repository, cancellationToken);
            return await SqliteDatabase.ExecuteAsync(c, t,
                "INSERT INTO uploads (repository, id, size, started_at) VALUES ($repository, $id, $size, $started)",
                cancellationToken, ("$repository", session.Repository.Value), ("$id", session.Id), ("$size", session.Size),
                ("$started", SqliteText.Time(session.StartedAt)));
        }, cancellationToken);

    public Task<UploadSession?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT size, started_at FROM uploads WHERE repository = $repository AND id = $id",
            r => new UploadSession(id, repository, r.GetInt64(0), SqliteText.ParseTime(r.GetString(1))),
            cancellationToken, ("$repository", repository.Value), ("$id", id));

    public async Task<bool> TryAdvanceAsync(RepositoryName repository, string id, long expectedSize, long newSize, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("UPDATE uploads SET size = $new WHERE repository = $repository AND id = $id AND size = $expected",
            cancellationToken, ("$repository", repository.Value), ("$id", id), ("$expected", expectedSize), ("$new", newSize)) > 0;

    public async Task<IReadOnlyList<UploadSession>> ListStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository, id, size, started_at FROM uploads WHERE started_at < $before ORDER BY started_at LIMIT $limit",
            r => new UploadSession(r.GetString(1), RepositoryName.Parse(r.GetString(0)), r.GetInt64(2), SqliteText.ParseTime(r.GetString(3))),
            cancellationToken, ("$before", SqliteText.Time(before)), ("$limit", limit));

    public async Task<bool> DeleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM uploads WHERE repository = $repository AND id = $id",
            cancellationToken, ("$repository", repository.Value), ("$id", id)) > 0;
}
