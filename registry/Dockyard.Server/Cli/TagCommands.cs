using System.CommandLine;
using Dockyard.Server.Cli.Admin;

namespace Dockyard.Server.Cli;

/// <summary><c>dockyard tag list|rm</c>: a repository's tags (removing a tag leaves its manifest for garbage collection's rules).</summary>
internal static class TagCommands
{
    public static Command Create(AdminOptions admin)
    {
        var repository = new Argument<string>("repository") { Description = "the repository, e.g. alice/app" };
        var tag = new Argument<string>("tag") { Description = "the tag" };

        return admin.Group("tag", "List and delete tags",
            admin.Command("list", "List a repository's tags", async (r, a, o, ct) =>
                o.Names(await a.ListTagsAsync(r.GetRequiredValue(repository), ct)), repository),
            admin.Command("rm", "Delete a tag", async (r, a, o, ct) =>
            {
                await a.DeleteTagAsync(r.GetRequiredValue(repository), r.GetRequiredValue(tag), ct);
                o.Done($"deleted tag '{r.GetRequiredValue(tag)}' of '{r.GetRequiredValue(repository)}'");
            }, repository, tag));
    }
}
