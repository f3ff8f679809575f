namespace Dockyard.Http.Auth;

/// <summary>
/// How the HTTP layer authenticates and authorizes, bound by the host from <c>[dockyard] standalone</c>, <c>[token]</c>
/// and <c>[auth_server]</c>. When <see cref="Enforced"/> is false (standalone) every request is allowed.
/// </summary>
public sealed class RegistryAuthOptions
{
    public bool Enforced { get; init; }

    /// <summary>The token endpoint announced in challenges; null means this registry's own <c>/uam/auth</c>.</summary>
    public string? Realm { get; init; }

    public string Service { get; init; } = "token-service";

    public string Issuer { get; init; } = "registry-token-issuer";

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromSeconds(5000);

    /// <summary>Null in standalone mode.</summary>
    public TokenKeys? Keys { get; init; }
}
