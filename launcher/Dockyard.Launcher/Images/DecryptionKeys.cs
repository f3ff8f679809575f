using System.Security.Cryptography;
using Dockyard.Core.Manifests;
using Dockyard.Signing.Encryption;

namespace Dockyard.Launcher.Images;

/// <summary>
/// The private keys (PEM, RSA or EC; <c>jwe:</c> prefix allowed) from <c>--decryption-key</c> and
/// <c>DOCKYARD_DECRYPTION_KEYS</c> (paths separated by the path separator). <see cref="CheckAll"/> finds a key for
/// every encrypted layer before anything is downloaded or loaded.
/// </summary>
public sealed class DecryptionKeys : IDisposable
{
    private readonly List<(string Path, JwePrivateKey Key)> keys = [];
    private readonly Dictionary<string, JwePrivateKey> byLayer = [];

    public int Count => keys.Count;

    /// <exception cref="LaunchException">A file is missing or holds no private key.</exception>
    public static DecryptionKeys Load(IEnumerable<string> paths)
    {
        var result = new DecryptionKeys();
        foreach (var text in paths.Where(p => p.Length > 0))
        {
            var path = text.StartsWith("jwe:", StringComparison.Ordinal) ? text[4..] : text;
            try
            {
                result.keys.Add((path, JwePrivateKey.FromPemFile(path)));
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                result.Dispose();
                throw new LaunchException(LaunchFailure.Usage, $"decryption key {path}: {e.Message}", e);
            }
        }
        return result;
    }

    public static IEnumerable<string> FromEnvironment() =>
        (Environment.GetEnvironmentVariable("DOCKYARD_DECRYPTION_KEYS") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Finds, for each encrypted layer, a key that opens its wrapped layer key.</summary>
    /// <exception cref="LaunchException">No key is configured, or none opens some layer.</exception>
    public void CheckAll(IEnumerable<Descriptor> layers, string image)
    {
        foreach (var layer in layers.Where(LayerEncryptor.IsEncrypted))
        {
            if (keys.Count == 0)
            {
                throw new LaunchException(LaunchFailure.DecryptionFailed,
                    $"{image} has encrypted layers; give a private key with --decryption-key or DOCKYARD_DECRYPTION_KEYS");
            }
            var errors = new List<string>();
            foreach (var (path, key) in keys)
            {
                try
                {
                    LayerEncryptor.Decrypt(layer, Stream.Null, key).Dispose();
                    byLayer[layer.Digest.Value] = key;
                    break;
                }
                catch (LayerDecryptionException e)
                {
                    errors.Add($"{path}: {e.Message}");
                }
            }
            if (!byLayer.ContainsKey(layer.Digest.Value))
            {
                throw new LaunchException(LaunchFailure.DecryptionFailed,
                    $"wrong decryption key: no configured key opens layer {layer.Digest} of {image} ({string.Join("; ", errors)})");
            }
        }
    }

    /// <summary>The key <see cref="CheckAll"/> found for <paramref name="layer"/>.</summary>
    public JwePrivateKey For(Descriptor layer) => byLayer[layer.Digest.Value];

    public void Dispose()
    {
        keys.ForEach(k => k.Key.Dispose());
        keys.Clear();
    }
}
