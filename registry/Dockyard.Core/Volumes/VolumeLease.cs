using Dockyard.Core.Names;

namespace Dockyard.Core.Volumes;

/// <summary>
/// The read-write lease of one volume repository as stored: who holds it, its fencing token, until when, and the
/// revision every conditional write compares. A released or expired lease stays stored (with its token), so the next
/// holder's token is always greater than every token handed out before.
/// </summary>
/// <param name="Holder">The host that holds (or last held) the lease.</param>
/// <param name="Token">The fencing token: increases by one with every new holding, never with a renewal.</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed; a released lease has a time in the past.</param>
/// <param name="Revision">Increases with every write; the store's compare-and-swap key.</param>
public sealed record VolumeLease(RepositoryName Repository, string Holder, long Token, DateTimeOffset ExpiresAt, long Revision)
{
    public bool IsHeldAt(DateTimeOffset now) => ExpiresAt > now;
}
