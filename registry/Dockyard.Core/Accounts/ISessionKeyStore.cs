namespace Dockyard.Core.Accounts;

/// <summary>
/// One key of the web UI's session key ring as stored: the name the key ring gave it and its content, which the
/// caller may have encrypted (the store neither reads nor checks it).
/// </summary>
public sealed record StoredSessionKey(string Name, string Content);

/// <summary>
/// Where the keys that protect the web UI's session cookies and antiforgery tokens live, so that every node of a
/// cluster reads the same key ring: a cookie made on one node is then valid on the others. Keys are only ever added
/// (the key ring marks old ones expired or revoked by adding more), so a listing and a conditional insert suffice and
/// every metadata driver implements it. Implementations pass SessionKeyStoreConformance.
/// </summary>
public interface ISessionKeyStore
{
    /// <summary>Every stored key in name order; empty when none was ever added.</summary>
    Task<IReadOnlyList<StoredSessionKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores the key; false (and no change) when a key of that name is already stored.</summary>
    Task<bool> TryAddAsync(StoredSessionKey key, CancellationToken cancellationToken);
}
