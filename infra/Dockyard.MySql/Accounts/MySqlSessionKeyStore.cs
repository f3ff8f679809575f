using Dockyard.Core.Accounts;

namespace Dockyard.MySql.Accounts;

/// <summary>The web UI's session key ring (<see cref="ISessionKeyStore"/>): one row per key, never updated.</summary>
public sealed class MySqlSessionKeyStore(MySqlDatabase db) : ISessionKeyStore
{
    public async Task<IReadOnlyList<StoredSessionKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT name, content FROM session_keys ORDER BY name", r => new StoredSessionKey(r.GetString(0), r.GetString(1)), cancellationToken);

    public Task<bool> TryAddAsync(StoredSessionKey key, CancellationToken cancellationToken) =>
        db.TryInsertAsync("INSERT INTO session_keys (name, content) VALUES (@n, @c)", cancellationToken, ("@n", key.Name), ("@c", key.Content));
}
