using System.CommandLine;
using Dockyard.Core.Access;
using Dockyard.Server.Cli.Admin;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard repo list|show|add|set-visibility|rm|adopt</c>. <c>adopt NAMESPACE [--owner ACCOUNT]</c> (local store)
/// gives every repository of a namespace an owner — how data pushed while the registry ran with
/// <c>standalone = true</c> (or pushed by an admin into a namespace no account held) becomes an account's once
/// authorization is enforced. Nobody but an admin reaches such data until then.
/// </summary>
internal static class RepositoryCommands
{
    public static Command Create(AdminOptions admin, Option<string?> config)
    {
        var ns = new Argument<string>("namespace") { Description = "the namespace (a user or organization)" };
        var repository = new Argument<string>("repository") { Description = "the repository, NAMESPACE/NAME" };
        var isPublic = new Option<bool>("--public") { Description = "anyone may pull it (default: private)" };
        var comment = new Option<string?>("--comment") { Description = "a description" };
        var visibility = new Argument<string>("visibility") { Description = "public or private" };
        visibility.AcceptOnlyFromAmong("public", "private");
        var yes = new Option<bool>("--yes", "-y") { Description = "confirm the deletion" };

        var group = admin.Group("repo", "Manage repositories",
            admin.Command("list", "List a namespace's repositories (those you may pull)", async (r, a, o, ct) =>
                o.Table(await a.ListRepositoriesAsync(r.GetRequiredValue(ns), ct), "fullname", "ispublic", "comment", "created"), ns),
            admin.Command("show", "Show a repository with the teams that have permissions on it", async (r, a, o, ct) =>
            {
                var (owner, name) = Split(r.GetRequiredValue(repository));
                o.Record(await a.GetRepositoryAsync(owner, name, ct));
            }, repository),
            admin.Command("add", "Create a repository (private unless --public)", async (r, a, o, ct) =>
            {
                var (owner, name) = Split(r.GetRequiredValue(repository));
                await a.CreateRepositoryAsync(owner, name, r.GetValue(isPublic), r.GetValue(comment), ct);
                o.Done($"created {(r.GetValue(isPublic) ? "public" : "private")} repository '{owner}/{name}'");
            }, repository, isPublic, comment),
            admin.Command("set-visibility", "Make a repository public or private", async (r, a, o, ct) =>
            {
                var (owner, name) = Split(r.GetRequiredValue(repository));
                await a.SetVisibilityAsync(owner, name, r.GetRequiredValue(visibility) == "public", ct);
                o.Done($"'{owner}/{name}' is now {r.GetRequiredValue(visibility)}");
            }, repository, visibility),
            admin.Command("rm", "Delete a repository with everything in it, every protocol's data", async (r, a, o, ct) =>
            {
                var (owner, name) = Split(OrganizationCommands.Confirmed(r, yes, r.GetRequiredValue(repository)));
                await a.DeleteRepositoryAsync(owner, name, ct);
                o.Done($"deleted '{owner}/{name}'");
            }, repository, yes));
        group.Subcommands.Add(Adopt(config));
        return group;
    }

    /// <summary>NAMESPACE/NAME split at the first slash (a name may hold more).</summary>
    private static (string Namespace, string Name) Split(string repository) =>
        repository.IndexOf('/') is > 0 and var slash && slash < repository.Length - 1
            ? (repository[..slash], repository[(slash + 1)..])
            : throw new AdminException($"'{repository}': expected NAMESPACE/NAME");

    private static Command Adopt(Option<string?> config)
    {
        var ns = new Argument<string>("namespace") { Description = "the namespace (first path component) whose repositories to adopt" };
        var owner = new Option<string?>("--owner") { Description = "the user or organization that will own them (default: the one named like the namespace)" };
        var adopt = new Command("adopt", "Make an account the owner of every repository in a namespace (local store)") { ns, owner };
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
        return adopt;
    }
}
