namespace Dockyard.Web;

/// <summary>
/// What the web UI needs to know about the registry it shows, set by the host from runtime.conf.
/// </summary>
public sealed class WebUiOptions
{
    /// <summary>
    /// <c>[dockyard] standalone</c>: when true the registry enforces nothing, so anyone may browse every repository and a
    /// signed-in user may manage all of them (as the API lets anyone); when false the UAM rules of <c>AccessPolicy</c> apply.
    /// </summary>
    public bool Standalone { get; init; } = true;

    /// <summary>
    /// The 32-byte key that seals the session key ring in the metadata store (<see cref="Access.KeyRingCipher"/>); every
    /// node of a cluster must be given the same. Null: the keys are stored as plain XML, which the host allows only in
    /// standalone mode without <c>[web] secret</c>, where a forged session could do nothing the API does not let anyone do.
    /// </summary>
    public byte[]? KeyRingKey { get; init; }
}
