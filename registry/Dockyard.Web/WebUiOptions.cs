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
}
