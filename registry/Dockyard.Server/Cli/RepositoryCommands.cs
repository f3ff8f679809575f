using System.CommandLine;
using Dockyard.Core.Access;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard repo adopt NAMESPACE [--owner ACCOUNT]</c>: gives every repository of a namespace an owner — how data
/// pushed while the registry ran with <c>standalone = true</c> (or pushed by an admin into a namespace no account held)
/// becomes an account's once authorization is enforced. Nobody but an admin reaches such data until then.
/// </summary>
internal static class RepositoryCommands
{
    public static Command Create(Option<string?> config)
    {
        var ns = new Argument<string>("namespace") { Description = "the namespace (first path component) whose repositories to adopt" };
        var owner = new Option<string?>("--owner") { Description = "the user or organization that will own them (default: the one named like the namespace)" };
        var adopt = new Command("adopt", "Make an account the owner of every repository in a namespace") { ns, owner };
        adopt.SetAction((result, cancellationToken) => CliHost.RunAsync(result.GetValue(config), async services =>
        {
            var name = result.GetRequiredValue(ns);
            var adopted = await services.GetRequiredService<RepositoryAdoption>().AdoptAsync(name, result.GetValue(owner) ?? name, cancellationToken);
            foreach (var repository in adopted)
            {
                Console.WriteLine(repository);
            }
            Console.WriteLine($"{adopted.Count} repositories now owned by '{result.GetValue(owner) ?? name}'");
            return 0;
        }));
        return new Command("repo", "Manage repositories") { adopt };
    }
}
