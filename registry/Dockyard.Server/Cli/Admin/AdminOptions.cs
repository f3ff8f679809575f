using System.CommandLine;
using Dockyard.Core.Errors;

namespace Dockyard.Server.Cli.Admin;

/// <summary>
/// The options every admin command shares (<c>--registry</c>, <c>--username</c>, <c>--login-password-stdin</c>, <c>--json</c>)
/// and how a command runs: on the local stores named by runtime.conf, or on the registry at <c>--registry</c>.
/// Exit codes: 0 done, 1 refused (unknown, not yours, conflict, invalid), 2 configuration or usage error,
/// 3 registry unreachable or failing.
/// </summary>
internal sealed class AdminOptions(Option<string?> config)
{
    public const int Refused = 1;
    public const int Unreachable = 3;

    public Option<string?> Registry { get; } = new("--registry")
    {
        Description = "act on the registry at this URL through its API instead of on the local stores", Recursive = true,
    };

    public Option<string?> Username { get; } = new("--username", "-u")
    {
        Description = "the user to sign in as with --registry (default: $DOCKYARD_USERNAME)", Recursive = true,
    };

    public Option<bool> PasswordStdin { get; } = new("--login-password-stdin")
    {
        Description = "read the password for --username from the first line of standard input (default: $DOCKYARD_PASSWORD)", Recursive = true,
    };

    /// <summary>The user signed in as on <c>--registry</c>, once a command has connected; null otherwise.</summary>
    public string? SignInUser { get; private set; }

    /// <summary>The password signed in with on <c>--registry</c>, once a command has connected; null otherwise.</summary>
    public string? SignInPassword { get; private set; }

    public Option<bool> Json { get; } = new("--json") { Description = "print the API's JSON instead of a table", Recursive = true };

    public Command Group(string name, string description, params Command[] commands)
    {
        var group = new Command(name, description) { Registry, Username, PasswordStdin, Json };
        foreach (var command in commands)
        {
            group.Subcommands.Add(command);
        }
        return group;
    }

    /// <summary>A subcommand whose action gets the admin surface and the output for <paramref name="run"/>.</summary>
    public Command Command(string name, string description, Func<ParseResult, IRegistryAdmin, AdminOutput, CancellationToken, Task> run, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
            }
        }
        command.SetAction((result, cancellationToken) => RunAsync(result, run, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, Func<ParseResult, IRegistryAdmin, AdminOutput, CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        var output = new AdminOutput(result.GetValue(Json), Console.Out);
        try
        {
            if (result.GetValue(Registry) is { } url)
            {
                await using var remote = new RemoteRegistryAdmin(await ConnectAsync(result, url, cancellationToken));
                await run(result, remote, output, cancellationToken);
                return 0;
            }
            return await CliHost.RunAsync(result.GetValue(config), async services =>
            {
                await using var local = new LocalRegistryAdmin(services);
                await run(result, local, output, cancellationToken);
                return 0;
            });
        }
        catch (Exception e) when (e is AdminException or RegistryException)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return Refused;
        }
        catch (RegistryUnreachableException e)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return Unreachable;
        }
    }

    private async Task<RegistryHttpClient> ConnectAsync(ParseResult result, string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var registry) || registry.Scheme is not ("http" or "https"))
        {
            throw new AdminException($"--registry {url}: expected an http:// or https:// URL");
        }
        var user = result.GetValue(Username) ?? Environment.GetEnvironmentVariable("DOCKYARD_USERNAME");
        var password = result.GetValue(PasswordStdin)
            ? (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n')
            : Environment.GetEnvironmentVariable("DOCKYARD_PASSWORD");
        (SignInUser, SignInPassword) = (user, password);
        return new RegistryHttpClient(registry, user, password);
    }
}
