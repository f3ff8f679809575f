using Dockyard.Core.Names;
using Dockyard.Launcher.Registry;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// A volume repository on a registry, with the credentials <c>docker login</c> stored for it and this host's keys for
/// the volume (<see cref="VolumeKeys"/>); dispose to close.
/// </summary>
internal sealed class VolumeConnection : IDisposable
{
    private readonly RegistryClient client;

    private VolumeConnection(RegistryClient client, RepositoryName repository, VolumeKeys? keys)
    {
        this.client = client;
        Registry = keys is null ? new VolumeRegistry(client, repository) : new VolumeRegistry(client, repository) { Keys = keys };
        Leases = new VolumeLeaseClient(Registry);
    }

    public VolumeRegistry Registry { get; }

    public VolumeLeaseClient Leases { get; }

    /// <param name="registry">The registry URL or HOST:PORT; null or empty is a usage error.</param>
    /// <param name="repository">The volume's repository name.</param>
    /// <param name="keys">The volume's keys on this host, owned by the connection from now on; null for none (plain versions only).</param>
    public static VolumeConnection Open(string? registry, string repository, VolumeKeys? keys = null)
    {
        try
        {
            return Connect(registry, repository, keys);
        }
        catch
        {
            keys?.Dispose();
            throw;
        }
    }

    private static VolumeConnection Connect(string? registry, string repository, VolumeKeys? keys)
    {
        if (string.IsNullOrWhiteSpace(registry))
        {
            throw new LaunchException(LaunchFailure.Usage, "no registry: pass --registry or set DOCKYARD_REGISTRY");
        }
        if (!RepositoryName.TryParse(repository, out var name))
        {
            throw new LaunchException(LaunchFailure.Usage, $"'{repository}' is not a repository name");
        }
        var uri = ImageReference.RegistryUri(registry);
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        return new VolumeConnection(new RegistryClient(uri, RegistryCredentials.FromDockerConfig(host)), name, keys);
    }

    public void Dispose()
    {
        client.Dispose();
        Registry.Keys.Dispose();
    }
}
