using System.Security.Cryptography;
using Dockyard.Core.Manifests;
using Dockyard.Launcher.Images;
using Dockyard.Signing.Encryption;

namespace Dockyard.Launcher.Volumes;

/// <summary>Where the keys of a volume are, as given on the command line or with the plugin's <c>--opt</c>s.</summary>
/// <param name="Recipients">Public key PEM files (<c>jwe:PATH</c> or PATH) new versions are encrypted for; empty stores them in plain.</param>
/// <param name="DecryptionKeys">Private key PEM files encrypted versions are opened with; empty opens none.</param>
internal sealed record VolumeKeyPaths(IReadOnlyList<string> Recipients, IReadOnlyList<string> DecryptionKeys)
{
    public static readonly VolumeKeyPaths None = new([], []);

    /// <exception cref="LaunchException">Usage: a file is missing or holds no key of the right kind.</exception>
    public VolumeKeys Load() => VolumeKeys.Load(this);
}

/// <summary>
/// The ocicrypt keys one volume is used with on this host (docs/volumes.md, Encryption): the recipients new versions
/// are encrypted for and the private keys encrypted versions are opened with. A version's file index is sealed as an
/// ocicrypt blob (a fresh AES-256-CTR key per version, HMAC'd, wrapped for every recipient as JWE in the
/// <c>org.opencontainers.image.enc.*</c> annotations); the index carries the volume's chunk key (<see cref="ChunkCipher"/>).
/// </summary>
internal sealed class VolumeKeys : IDisposable
{
    private readonly List<JweRecipient> recipients;
    private readonly DecryptionKeys decryption;

    private VolumeKeys(List<JweRecipient> recipients, DecryptionKeys decryption)
    {
        this.recipients = recipients;
        this.decryption = decryption;
    }

    /// <summary>Whether new versions are encrypted (at least one recipient).</summary>
    public bool Encrypts => recipients.Count > 0;

    /// <exception cref="LaunchException">Usage: a file is missing or holds no key of the right kind.</exception>
    public static VolumeKeys Load(VolumeKeyPaths paths)
    {
        var decryption = DecryptionKeys.Load(paths.DecryptionKeys);
        var loaded = new List<JweRecipient>();
        foreach (var text in paths.Recipients.Where(p => p.Length > 0))
        {
            var path = WithoutScheme(text);
            try
            {
                loaded.Add(JweRecipient.FromPemFile(path));
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                loaded.ForEach(r => r.Dispose());
                decryption.Dispose();
                throw new LaunchException(LaunchFailure.Usage, $"encryption key {path}: {e.Message}", e);
            }
        }
        return new VolumeKeys(loaded, decryption);
    }

    /// <summary>A key file's path without the <c>jwe:</c> scheme skopeo and <c>dockyard image</c> accept.</summary>
    public static string WithoutScheme(string text) => text.StartsWith("jwe:", StringComparison.Ordinal) ? text["jwe:".Length..] : text;

    /// <summary>Refuses to store a plain version over an encrypted one: that would leave the volume's new data in plain.</summary>
    /// <exception cref="LaunchException">Usage: <paramref name="latest"/> is encrypted and no recipient is given.</exception>
    public void CheckWritable(VolumeVersion? latest, string repository)
    {
        if (latest is { Encrypted: true } && !Encrypts)
        {
            throw new LaunchException(LaunchFailure.Usage,
                $"volume {repository} is encrypted: give its recipients' public keys (--encryption-key, or --opt encrypt-recipient=PATH) to store changes");
        }
    }

    /// <summary>The plaintext of an encrypted index, after its HMAC and plaintext digest were checked.</summary>
    /// <exception cref="LaunchException">DecryptionFailed: no private key is given, none opens the index, or it was tampered with.</exception>
    public byte[] OpenIndex(Descriptor index, byte[] ciphertext, string version)
    {
        if (decryption.Count == 0)
        {
            throw new LaunchException(LaunchFailure.DecryptionFailed,
                $"{version} is encrypted; give its private key with --decryption-key (the plugin: --opt decrypt-key=PATH)");
        }
        decryption.CheckAll([index], version);
        try
        {
            using var layer = LayerEncryptor.Decrypt(index, new MemoryStream(ciphertext), decryption.For(index));
            using var plain = new MemoryStream();
            layer.Plaintext.CopyTo(plain);
            return plain.ToArray();
        }
        catch (LayerDecryptionException e)
        {
            throw new LaunchException(LaunchFailure.DecryptionFailed, $"the index of {version} cannot be decrypted: {e.Message}", e);
        }
    }

    /// <summary>Seals <paramref name="index"/> (described by <paramref name="plain"/>) for the recipients.</summary>
    /// <returns>The ciphertext and its descriptor: media type + "+encrypted", ocicrypt's two annotations.</returns>
    public (byte[] Ciphertext, Descriptor Descriptor) SealIndex(Descriptor plain, byte[] index)
    {
        using var encrypting = LayerEncryptor.EncryptBlob(plain, new MemoryStream(index), recipients);
        using var buffer = new MemoryStream();
        encrypting.Ciphertext.CopyTo(buffer);
        return (buffer.ToArray(), encrypting.Complete());
    }

    public void Dispose()
    {
        recipients.ForEach(r => r.Dispose());
        recipients.Clear();
        decryption.Dispose();
    }
}
