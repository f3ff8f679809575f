using System.CommandLine;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// <c>--encryption-key jwe:PUBLIC.pem</c> (on the commands that store versions) and <c>--decryption-key PRIVATE.pem</c>
/// (also <c>$DOCKYARD_DECRYPTION_KEYS</c>): the names skopeo and the launcher's image pulls use for ocicrypt keys.
/// </summary>
internal sealed class VolumeKeyOptions(bool stores)
{
    public Option<string[]> Recipients { get; } = new("--encryption-key")
    {
        Description = "jwe:PUBLIC_KEY.pem (RSA or EC): store new versions encrypted for this recipient; repeatable (an encrypted volume stays encrypted)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> DecryptionKeys { get; } = new("--decryption-key")
    {
        Description = "a private key PEM (RSA or EC) of an encrypted volume; repeatable (also $DOCKYARD_DECRYPTION_KEYS)",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        if (stores)
        {
            command.Options.Add(Recipients);
        }
        command.Options.Add(DecryptionKeys);
    }

    public VolumeKeyPaths Read(ParseResult result) => new(stores ? result.GetValue(Recipients) ?? [] : [],
        [.. result.GetValue(DecryptionKeys) ?? [], .. Images.DecryptionKeys.FromEnvironment()]);
}
