using Docker.DotNet;
using Dockyard.Launcher.Engine;
using Dockyard.Launcher.Images;
using Dockyard.Launcher.Output;
using Dockyard.Launcher.Registry;
using Dockyard.Signing.Verification;

namespace Dockyard.Launcher.Cli;

/// <summary>What <c>pull</c> (and <c>run</c> before it starts anything) needs.</summary>
/// <param name="Agent">A local <c>launcher agent</c> the layers are fetched through (from peers); null fetches them from the registry.</param>
public sealed record PullOptions(string Image, string? Registry, RegistryCredentials? Credentials, string? PolicyFile,
    IReadOnlyList<string> DecryptionKeys, string Platform, bool Quiet, Uri? Agent = null);

/// <summary>
/// Makes an image from Dockyard available to the engine: resolve (index → platform), check signatures when a policy
/// file covers the repository, find a key for every encrypted layer, then stream the (decrypted) image into the
/// engine's image load API. Everything that can refuse is checked before the engine is given anything.
/// </summary>
public static class ImagePull
{
    /// <returns>The name the engine knows the image by: HOST/REPO:TAG, or the image ID for a digest reference.</returns>
    public static async Task<(string Name, string Reference)> PullAsync(DockerClient engine, PullOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(options.Image, options.Registry);
        var (os, architecture) = ParsePlatform(options.Platform);
        var policy = LoadPolicy(options.PolicyFile);
        using var keys = DecryptionKeys.Load(options.DecryptionKeys);
        using var client = new RegistryClient(reference.Registry, options.Credentials ?? RegistryCredentials.FromDockerConfig(reference.Host));
        var image = await ImageResolver.ResolveAsync(client, reference, os, architecture, cancellationToken);
        if (policy is not null && await new RemoteSignatureVerifier(policy, TimeProvider.System).VerifyAsync(client, image, cancellationToken) is { } verified)
        {
            await Note(log, options, $"{reference}: {verified}");
        }
        keys.CheckAll(image.Manifest.Layers, reference.ToString());
        var repoTag = reference.Digest is null ? reference.ToString() : null;
        await Note(log, options, $"{reference}: {image.Digest} ({image.Manifest.Layers.Count} layers)");
        // Manifests, config and signatures come from the registry with the user's credentials even with an agent: only
        // layers (content-addressed, checked against the manifest's digests on the way in) go through it.
        using var agent = options.Agent is null ? null : new RegistryClient(options.Agent, null);
        if (agent is not null)
        {
            await Note(log, options, $"layers through the agent at {options.Agent}");
        }
        await TransferDisplay.RunAsync(options.Quiet, async display =>
        {
            await ImageLoader.LoadAsync(engine, (output, token) => ImageArchive.WriteAsync(output, image, repoTag, agent ?? client, keys, display, token), cancellationToken);
            return true;
        });
        await Note(log, options, $"loaded {repoTag ?? image.ImageId.Value}");
        return (repoTag ?? image.ImageId.Value, reference.ToString());
    }

    private static async Task Note(TextWriter log, PullOptions options, string line)
    {
        if (!options.Quiet)
        {
            await log.WriteLineAsync(line);
        }
    }

    private static SignaturePolicy? LoadPolicy(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        try
        {
            return SignaturePolicyLoader.Load(path);
        }
        catch (SignaturePolicyException e)
        {
            throw new LaunchException(LaunchFailure.Usage, e.Message, e);
        }
    }

    private static (string Os, string Architecture) ParsePlatform(string platform)
    {
        var parts = platform.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0) ? (parts[0], parts[1])
            : throw new LaunchException(LaunchFailure.Usage, $"--platform '{platform}': expected OS/ARCHITECTURE such as linux/amd64");
    }
}
