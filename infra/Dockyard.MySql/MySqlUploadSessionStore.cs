using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql;

/// <summary>
/// Upload sessions in the <c>uploads</c> table. The committed parts are one text column, "id:size" pairs joined by
/// ',' in upload order, next to their total <c>size</c>, which is what the conditional write compares.
/// </summary>
internal sealed class MySqlUploadSessionStore(MySqlDatabase db) : IUploadSessionStore
{
    public Task CreateAsync(UploadSession session, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, t) =>
        {
            await MySqlRepositoryIndex.EnsureAsync(c, t, session.Repository, cancellationToken);
            return await MySqlDatabase.ExecuteAsync(c, t,
                "INSERT INTO uploads (repository, id, size, parts, started_at, client) VALUES (@repository, @id, @size, @parts, @started, @client)",
                cancellationToken, ("@repository", session.Repository.Value), ("@id", session.Id), ("@size", session.Size),
                ("@parts", UploadPartsText.Format(session.Parts)), ("@started", MySqlText.Time(session.StartedAt)), ("@client", session.Client));
        }, cancellationToken);

    public Task<UploadSession?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT parts, started_at, client FROM uploads WHERE repository = @repository AND id = @id",
            r => new UploadSession(id, repository, UploadPartsText.Parse(r.GetString(0)), MySqlText.ReadTime(r, 1), MySqlText.Nullable(r, 2)),
            cancellationToken, ("@repository", repository.Value), ("@id", id));

    public async Task<bool> TryAdvanceAsync(RepositoryName repository, string id, long expectedSize, UploadPart part, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part.Size);
        // One statement: the row lock makes the size comparison and both assignments atomic against another writer.
        return await db.ExecuteAsync(
            """
            UPDATE uploads SET size = size + @partSize, parts = IF(parts = '', @part, CONCAT(parts, ',', @part))
            WHERE repository = @repository AND id = @id AND size = @expected
            """,
            cancellationToken, ("@repository", repository.Value), ("@id", id), ("@expected", expectedSize),
            ("@partSize", part.Size), ("@part", UploadPartsText.FormatPart(part))) > 0;
    }

    public async Task<IReadOnlyList<UploadSession>> ListStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT repository, id, parts, started_at, client FROM uploads WHERE started_at < @before ORDER BY started_at LIMIT @limit",
            r => new UploadSession(r.GetString(1), RepositoryName.Parse(r.GetString(0)), UploadPartsText.Parse(r.GetString(2)), MySqlText.ReadTime(r, 3),
                MySqlText.Nullable(r, 4)),
            cancellationToken, ("@before", MySqlText.CutOff(before)), ("@limit", limit));

    public async Task<bool> DeleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM uploads WHERE repository = @repository AND id = @id",
            cancellationToken, ("@repository", repository.Value), ("@id", id)) > 0;

    public async Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        (await db.QueryAsync($"SELECT CAST(COALESCE(SUM(size), 0) AS SIGNED) FROM uploads WHERE {MySqlNamespace.Condition}", r => r.GetInt64(0),
            cancellationToken, MySqlNamespace.Parameters(@namespace)))[0];

    public async Task<int> CountByClientAsync(string client, int atMost, CancellationToken cancellationToken) =>
        (int)(await db.QueryAsync("SELECT COUNT(*) FROM (SELECT 1 FROM uploads WHERE client = @client LIMIT @limit) AS counted", r => r.GetInt64(0),
            cancellationToken, ("@client", client), ("@limit", atMost)))[0];
}
