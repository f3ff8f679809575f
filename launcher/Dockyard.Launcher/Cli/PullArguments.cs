using System.CommandLine;
using Dockyard.Launcher.Images;
using Dockyard.Launcher.Registry;

namespace Dockyard.Launcher.Cli;

/// <summary>The image argument and the registry, credential, signature and decryption options of <c>run</c> and <c>pull</c>.</summary>
internal sealed class PullArguments
{
    public Argument<string> Image { get; } = new("image") { Description = "[HOST:PORT/]REPOSITORY[:TAG|@DIGEST]" };

    public Option<string?> Registry { get; } = new("--registry")
    {
        Description = "the Dockyard registry URL (default: $DOCKYARD_REGISTRY)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DOCKYARD_REGISTRY"),
    };

    public Option<string?> UserName { get; } = new("--username", "-u") { Description = "registry user (default: docker login's config.json)" };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "read the registry password from stdin" };

    public Option<string?> Policy { get; } = new("--signature-policy")
    {
        Description = "a signing policy file (the registry's format) to enforce here (default: $DOCKYARD_SIGNATURE_POLICY)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DOCKYARD_SIGNATURE_POLICY"),
    };

    public Option<string[]> Keys { get; } = new("--decryption-key")
    {
        Description = "a private key PEM (RSA or EC) for encrypted layers and dockyard: volumes; repeatable (also $DOCKYARD_DECRYPTION_KEYS)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Platform { get; } = new("--platform") { Description = "the platform picked from an index", DefaultValueFactory = _ => "linux/amd64" };

    public Option<string?> Agent { get; } = new("--agent")
    {
        Description = "a local `launcher agent` URL (http://127.0.0.1:5050) to fetch layers through, from peers (default: $DOCKYARD_AGENT)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DOCKYARD_AGENT"),
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "no progress output" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Image);
        foreach (var option in new Option[] { Registry, UserName, PasswordStdin, Policy, Keys, Platform, Agent, Quiet })
        {
            command.Options.Add(option);
        }
    }

    public PullOptions Read(ParseResult result)
    {
        RegistryCredentials? credentials = null;
        if (result.GetValue(UserName) is { Length: > 0 } user)
        {
            if (!result.GetValue(PasswordStdin))
            {
                throw new LaunchException(LaunchFailure.Usage, "--username needs --password-stdin");
            }
            credentials = new RegistryCredentials(user, (Console.In.ReadLine() ?? "").TrimEnd('\r', '\n'));
        }
        else if (result.GetValue(PasswordStdin))
        {
            throw new LaunchException(LaunchFailure.Usage, "--password-stdin needs --username");
        }
        var keys = (result.GetValue(Keys) ?? []).Concat(DecryptionKeys.FromEnvironment()).ToList();
        return new PullOptions(result.GetRequiredValue(Image), result.GetValue(Registry), credentials, result.GetValue(Policy), keys,
            result.GetRequiredValue(Platform), result.GetValue(Quiet), AgentUrl(result.GetValue(Agent)));
    }

    private static Uri? AgentUrl(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var url = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        return Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var agent) && agent.Scheme is "http" or "https"
            ? agent
            : throw new LaunchException(LaunchFailure.Usage, $"--agent '{text}': must be the agent's URL (http://127.0.0.1:5050)");
    }
}
