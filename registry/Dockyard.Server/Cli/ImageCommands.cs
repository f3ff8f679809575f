using System.CommandLine;
using System.Security.Cryptography;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;
using Dockyard.Hosting.Configuration;
using Dockyard.Server.Hosting;
using Dockyard.Signing.Encryption;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard image encrypt REPO:TAG --to REPO:TAG2 --recipient jwe:pub.pem [...]</c> and
/// <c>dockyard image decrypt REPO:TAG --to REPO:TAG2 --key priv.pem</c>: ocicrypt (skopeo/containerd compatible)
/// layer encryption, run server-side over the configured storage.
/// </summary>
internal static class ImageCommands
{
    public static Command Create(Option<string?> config)
    {
        var encrypt = new Command("encrypt", "Write an encrypted copy of an image (ocicrypt JWE, like skopeo --encryption-key)");
        var encryptSource = Image();
        var encryptTarget = Target();
        var recipients = new Option<string[]>("--recipient", "-r")
        {
            Description = "jwe:PUBLIC_KEY.pem (RSA or EC); repeat for several recipients",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        encrypt.Arguments.Add(encryptSource);
        encrypt.Options.Add(encryptTarget);
        encrypt.Options.Add(recipients);
        encrypt.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config), async (encryptor, token) =>
        {
            var keys = result.GetRequiredValue(recipients).Select(LoadRecipient).ToList();
            try
            {
                var (source, reference) = ParseImage(result.GetRequiredValue(encryptSource));
                var (target, tag) = ParseTarget(result.GetRequiredValue(encryptTarget));
                return await encryptor.EncryptAsync(source, reference, target, tag, keys, token);
            }
            finally
            {
                keys.ForEach(k => k.Dispose());
            }
        }, cancellationToken));

        var decrypt = new Command("decrypt", "Write a decrypted copy of an encrypted image (like skopeo --decryption-key)");
        var decryptSource = Image();
        var decryptTarget = Target();
        var key = new Option<string>("--key", "-k") { Description = "the private key PEM (RSA or EC), optionally prefixed jwe:", Required = true };
        decrypt.Arguments.Add(decryptSource);
        decrypt.Options.Add(decryptTarget);
        decrypt.Options.Add(key);
        decrypt.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config), async (encryptor, token) =>
        {
            using var privateKey = JwePrivateKey.FromPemFile(StripScheme(result.GetRequiredValue(key)));
            var (source, reference) = ParseImage(result.GetRequiredValue(decryptSource));
            var (target, tag) = ParseTarget(result.GetRequiredValue(decryptTarget));
            return await encryptor.DecryptAsync(source, reference, target, tag, privateKey, token);
        }, cancellationToken));

        return new Command("image", "Encrypt and decrypt images stored in Dockyard") { encrypt, decrypt };
    }

    private static Argument<string> Image() => new("image") { Description = "the source image: REPO:TAG or REPO@DIGEST" };

    private static Option<string> Target() => new("--to") { Description = "where to write the copy: REPO:TAG", Required = true };

    private static async Task<int> RunAsync(string? configFile, Func<ImageEncryptor, CancellationToken, Task<Digest>> run, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = DockyardHost.Build(RuntimeSettings.Load(configFile), "127.0.0.1", 0);
            var services = app.Services;
            var encryptor = new ImageEncryptor(services.GetRequiredService<ManifestService>(), services.GetRequiredService<BlobService>(),
                services.GetRequiredService<BlobUploadService>());
            Console.WriteLine(await run(encryptor, cancellationToken));
            return 0;
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return 2;
        }
        catch (Exception e) when (e is RegistryException or CryptographicException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return 1;
        }
    }

    private static JweRecipient LoadRecipient(string text) =>
        text.StartsWith("jwe:", StringComparison.Ordinal)
            ? JweRecipient.FromPemFile(text["jwe:".Length..])
            : throw new ArgumentException($"recipient '{text}': only jwe:PUBLIC_KEY.pem recipients are supported");

    private static string StripScheme(string text) => text.StartsWith("jwe:", StringComparison.Ordinal) ? text["jwe:".Length..] : text;

    /// <summary>REPO:TAG or REPO@DIGEST.</summary>
    internal static (RepositoryName Repository, ManifestReference Reference) ParseImage(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return (RepositoryName.Parse(text[..at]), new ManifestReference(Digest.Parse(text[(at + 1)..]), null));
        }
        var (repository, tag) = ParseTarget(text);
        return (repository, new ManifestReference(null, tag));
    }

    /// <summary>REPO:TAG (the tag is required).</summary>
    internal static (RepositoryName Repository, string Tag) ParseTarget(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || text.IndexOf('/', colon) >= 0 || !Tag.IsValid(text[(colon + 1)..]))
        {
            throw new ArgumentException($"'{text}' is not REPOSITORY:TAG");
        }
        return (RepositoryName.Parse(text[..colon]), text[(colon + 1)..]);
    }
}
