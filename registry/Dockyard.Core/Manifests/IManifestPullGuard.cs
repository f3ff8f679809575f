using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Decides whether a manifest may be served to a client that pulls it (GET or HEAD of a manifest). Called after the
/// manifest is found and before any byte or header of it is sent. The default allows every pull; a signature policy
/// (Dockyard.Signing) refuses manifests of protected repositories that carry no valid signature.
/// </summary>
public interface IManifestPullGuard
{
    /// <param name="content">The manifest about to be served: its record and its exact bytes.</param>
    /// <exception cref="Errors.RegistryException">DENIED (or another client fault) when the pull is refused.</exception>
    Task CheckAsync(RepositoryName repository, ManifestContent content, CancellationToken cancellationToken);
}

/// <summary>The default guard: every manifest may be pulled.</summary>
public sealed class OpenPullGuard : IManifestPullGuard
{
    public Task CheckAsync(RepositoryName repository, ManifestContent content, CancellationToken cancellationToken) => Task.CompletedTask;
}
