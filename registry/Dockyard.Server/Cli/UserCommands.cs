using System.CommandLine;
using Dockyard.Core.Accounts;

namespace Dockyard.Server.Cli;

/// <summary><c>dockyard user add NAME [--admin] [--email E] (--password P | --password-stdin)</c>: the administrator bootstrap.</summary>
internal static class UserCommands
{
    public static Command Create(Option<string?> config)
    {
        var name = new Argument<string>("name") { Description = "the user name (lower case, as in repository names)" };
        var admin = new Option<bool>("--admin") { Description = "make the user a registry administrator (all rights everywhere)" };
        var email = new Option<string?>("--email") { Description = "the user's e-mail address" };
        var password = new Option<string?>("--password") { Description = "the password (visible in the process list; prefer --password-stdin)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from standard input" };
        var add = new Command("add", "Create a user in the metadata store") { name, admin, email, password, passwordStdin };
        add.SetAction(async (result, cancellationToken) =>
        {
            var secret = result.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n') : result.GetValue(password);
            return await AddAsync(result.GetValue(config), result.GetRequiredValue(name), secret, result.GetValue(email), result.GetValue(admin), cancellationToken);
        });
        return new Command("user", "Manage Dockyard users") { add };
    }

    private static Task<int> AddAsync(string? configFile, string name, string? password, string? email, bool admin, CancellationToken cancellationToken) =>
        CliHost.RunAsync(configFile, async services =>
        {
            var user = await services.GetRequiredService<UserService>().AddAsync(name, password, email, admin, cancellationToken);
            Console.WriteLine($"created user '{user.Name}'{(user.IsAdmin ? " (administrator)" : "")}");
            return 0;
        });
}
