using Dockyard.Core.Appc;
using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Decides whether image content may leave the registry, whatever the protocol: a V2 manifest pull, an ACI converted
/// from a Docker/OCI image (appc fetch), a pushed ACI, a Docker V1 image. The default allows everything; a signature
/// policy (Dockyard.Signing) refuses content of protected repositories that carries no valid signature, so no door
/// serves what another door refuses.
/// </summary>
public interface IManifestPullGuard
{
    /// <summary>Called after the manifest is found and before any byte or header of it (or of content built from it) is sent.</summary>
    /// <param name="content">The manifest about to be served: its record and its exact bytes.</param>
    /// <exception cref="Errors.RegistryException">DENIED (or another client fault) when the pull is refused.</exception>
    Task CheckAsync(RepositoryName repository, ManifestContent content, CancellationToken cancellationToken);

    /// <summary>Called before a pushed ACI (<paramref name="image"/>, its bytes and its <c>.asc</c>) is served.</summary>
    /// <exception cref="Errors.RegistryException">DENIED when the repository's policy is not met by the ACI's own signature.</exception>
    Task CheckAciAsync(RepositoryName repository, AciImage image, CancellationToken cancellationToken);

    /// <summary>
    /// Called before content that no manifest describes (a Docker V1 image: its JSON, layer or ancestry) is served.
    /// Such content cannot carry a cosign, notation or simple-signing signature, so a protected repository refuses it.
    /// </summary>
    /// <param name="protocol">How the client asked, for the refusal's message (e.g. "Docker Registry V1").</param>
    /// <exception cref="Errors.RegistryException">DENIED when a policy covers the repository.</exception>
    Task CheckUnsignableAsync(RepositoryName repository, string protocol, CancellationToken cancellationToken);

    /// <summary>
    /// How the policy names the rule that covers <paramref name="repository"/> (e.g. <c>rule 1 (secure/*): cosign
    /// signature by a configured key</c>), for pages that explain a verdict; null when no rule covers it or no policy is
    /// configured. Decides nothing: pulls are checked by the methods above only.
    /// </summary>
    string? CoveringRule(RepositoryName repository);
}

/// <summary>The default guard: every pull is allowed.</summary>
public sealed class OpenPullGuard : IManifestPullGuard
{
    public Task CheckAsync(RepositoryName repository, ManifestContent content, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CheckAciAsync(RepositoryName repository, AciImage image, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CheckUnsignableAsync(RepositoryName repository, string protocol, CancellationToken cancellationToken) => Task.CompletedTask;

    public string? CoveringRule(RepositoryName repository) => null;
}
