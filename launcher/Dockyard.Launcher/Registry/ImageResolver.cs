using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Registry;

/// <summary>
/// An image resolved in the registry: the digest the reference names (an index's, when it names one: that is what
/// signatures sign), the platform's image manifest and its config.
/// </summary>
public sealed record ResolvedImage(ImageReference Reference, RemoteManifest Top, ParsedManifest Manifest, byte[] Config)
{
    public Digest Digest => Top.Digest;

    /// <summary>The config digest: the image ID the engine gives the loaded image.</summary>
    public Digest ImageId => Manifest.Config!.Digest;
}

/// <summary>Resolves a reference: fetches the manifest, picks the platform from an index and reads the config.</summary>
public static class ImageResolver
{
    /// <summary>Configs are small JSON documents; a larger one is refused.</summary>
    public const int MaxConfigBytes = 8 * 1024 * 1024;

    public static async Task<ResolvedImage> ResolveAsync(RegistryClient client, ImageReference reference, string os, string architecture,
        CancellationToken cancellationToken)
    {
        var top = (await client.GetManifestAsync(reference.Repository, reference.Reference, cancellationToken))!;
        var manifest = Parse(top, reference);
        if (manifest.IsIndex)
        {
            var entry = manifest.Manifests.FirstOrDefault(m => m.Platform?.Os == os && m.Platform.Architecture == architecture)
                ?? throw new LaunchException(LaunchFailure.ImageNotFound,
                    $"{reference} has no {os}/{architecture} image (it has {string.Join(", ", manifest.Manifests.Select(m => m.Platform is { } p ? $"{p.Os}/{p.Architecture}" : "?"))})");
            var child = (await client.GetManifestAsync(reference.Repository, entry.Digest.Value, cancellationToken))!;
            manifest = Parse(child, reference);
            if (manifest.IsIndex)
            {
                throw new LaunchException(LaunchFailure.Registry, $"{reference}: the {os}/{architecture} entry is an index again");
            }
        }
        if (manifest.Config is not { } config)
        {
            throw new LaunchException(LaunchFailure.Registry, $"{reference} is not a runnable image (no config)");
        }
        var configBytes = await client.ReadBlobAsync(reference.Repository, config, MaxConfigBytes, cancellationToken);
        return new ResolvedImage(reference, top, manifest, configBytes);
    }

    private static ParsedManifest Parse(RemoteManifest manifest, ImageReference reference)
    {
        try
        {
            var parsed = manifest.Parse();
            return MediaTypes.IsSupported(parsed.MediaType) ? parsed
                : throw new LaunchException(LaunchFailure.Registry, $"{reference} is a {parsed.MediaType}, not an image");
        }
        catch (RegistryException e)
        {
            throw new LaunchException(LaunchFailure.Registry, $"{reference}: unusable manifest: {e.Message}", e);
        }
    }
}
