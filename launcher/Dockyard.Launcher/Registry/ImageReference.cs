using Dockyard.Core.Names;

namespace Dockyard.Launcher.Registry;

/// <summary>
/// An image in a registry: <c>[HOST[:PORT]/]REPOSITORY[:TAG|@DIGEST]</c>. The first component is a registry host when
/// it has a dot or a port or is <c>localhost</c> (as docker decides); otherwise the registry is <c>--registry</c> or
/// <c>DOCKYARD_REGISTRY</c>. A reference without tag or digest means <c>:latest</c>.
/// </summary>
public sealed record ImageReference(Uri Registry, RepositoryName Repository, string? Tag, Digest? Digest)
{
    /// <summary><c>host:port</c> as docker names the registry (and config.json keys it).</summary>
    public string Host => Registry.IsDefaultPort ? Registry.Host : $"{Registry.Host}:{Registry.Port}";

    /// <summary>The tag or digest as the V2 API takes it.</summary>
    public string Reference => Digest?.Value ?? Tag!;

    /// <summary>The name the engine knows the loaded image by: HOST/REPOSITORY:TAG, or HOST/REPOSITORY@DIGEST.</summary>
    public override string ToString() => Digest is null ? $"{Host}/{Repository}:{Tag}" : $"{Host}/{Repository}@{Digest}";

    /// <param name="registry">The default registry URL or host; null when none is configured.</param>
    /// <exception cref="LaunchException">The text is not an image reference, or no registry is known.</exception>
    public static ImageReference Parse(string text, string? registry)
    {
        var rest = text;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && LooksLikeHost(rest[..slash]))
        {
            registry = rest[..slash];
            rest = rest[(slash + 1)..];
        }
        if (string.IsNullOrWhiteSpace(registry))
        {
            throw new LaunchException(LaunchFailure.Usage, $"'{text}' names no registry: give --registry URL, set DOCKYARD_REGISTRY or write HOST:PORT/{text}");
        }
        Digest? digest = null;
        string? tag = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Core.Names.Digest.TryParse(rest[(at + 1)..], out digest))
            {
                throw new LaunchException(LaunchFailure.Usage, $"'{rest[(at + 1)..]}' is not a digest (sha256:<64 hex>)");
            }
            rest = rest[..at];
        }
        var colon = rest.LastIndexOf(':');
        if (colon > 0 && digest is null)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!Core.Names.Tag.IsValid(tag))
            {
                throw new LaunchException(LaunchFailure.Usage, $"'{tag}' is not a valid tag");
            }
        }
        if (!RepositoryName.TryParse(rest, out var repository))
        {
            throw new LaunchException(LaunchFailure.Usage, $"'{rest}' is not a repository name (lower case, components separated by '/')");
        }
        return new ImageReference(RegistryUri(registry), repository, digest is null ? tag ?? "latest" : null, digest);
    }

    /// <summary>A registry URL; a bare host gets http:// when it is loopback, else https://.</summary>
    public static Uri RegistryUri(string registry)
    {
        var text = registry.Contains("://", StringComparison.Ordinal) ? registry
            : (IsLoopback(registry) ? "http://" : "https://") + registry;
        return Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new LaunchException(LaunchFailure.Usage, $"'{registry}' is not a registry URL (http[s]://HOST[:PORT])");
    }

    private static bool LooksLikeHost(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) || component == "localhost";

    private static bool IsLoopback(string host) =>
        host.StartsWith("127.", StringComparison.Ordinal) || host.StartsWith("localhost", StringComparison.Ordinal) || host.StartsWith("[::1]", StringComparison.Ordinal);
}
