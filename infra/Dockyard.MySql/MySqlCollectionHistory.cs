using Dockyard.Core.Collection;

namespace Dockyard.MySql;

/// <summary>
/// Garbage collection's recent runs (<see cref="ICollectionHistory"/>), table <c>gc_runs</c> (migration 7): one row per
/// run keyed newest first (<see cref="CollectionRunText.Key"/>), the run as JSON.
/// </summary>
public sealed class MySqlCollectionHistory(MySqlDatabase db) : ICollectionHistory
{
    // Keys sort newest first: everything after the Kept-th key is older than the runs kept. The derived table lets
    // MySQL read the table the statement deletes from; two trims at once delete the same rows, which is harmless.
    private static readonly string Trim =
        $"DELETE FROM gc_runs WHERE id > (SELECT id FROM (SELECT id FROM gc_runs ORDER BY id LIMIT 1 OFFSET {ICollectionHistory.Kept - 1}) AS kept)";

    public async Task RecordAsync(CollectionRun run, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("INSERT INTO gc_runs (id, content) VALUES (@id, @c)", cancellationToken,
            ("@id", CollectionRunText.Key(run)), ("@c", CollectionRunText.Format(run)));
        await db.ExecuteAsync(Trim, cancellationToken);
    }

    public async Task<IReadOnlyList<CollectionRun>> ListAsync(int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT content FROM gc_runs ORDER BY id LIMIT @n", r => CollectionRunText.Parse(r.GetString(0)), cancellationToken, ("@n", limit));
}
