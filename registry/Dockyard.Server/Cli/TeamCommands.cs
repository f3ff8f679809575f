using System.CommandLine;
using Dockyard.Core.Accounts;
using Dockyard.Server.Cli.Admin;

namespace Dockyard.Server.Cli;

/// <summary><c>dockyard team list|show|add|rm|add-member|rm-member|grant|revoke</c>, teams of an organization.</summary>
internal static class TeamCommands
{
    public static Command Create(AdminOptions admin)
    {
        var org = new Argument<string>("org") { Description = "the organization" };
        var team = new Argument<string>("team") { Description = "the team name" };
        var user = new Argument<string>("user") { Description = "the user (a member of the organization)" };
        var repository = new Argument<string>("repository") { Description = "the repository's name inside the organization" };
        var comment = new Option<string?>("--comment") { Description = "a description" };
        var asAdmin = new Option<bool>("--admin") { Description = "as a team admin (default: member)" };
        var write = new Option<bool>("--write") { Description = "grant pull and push (default: pull only)" };

        return admin.Group("team", "Manage an organization's teams, their members and repository permissions",
            admin.Command("list", "List an organization's teams", async (r, a, o, ct) =>
                o.Table(await a.ListTeamsAsync(r.GetRequiredValue(org), ct), "teamname", "comment"), org),
            admin.Command("show", "Show a team with its members and repositories", async (r, a, o, ct) =>
                o.Record(await a.GetTeamAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), ct)), org, team),
            admin.Command("add", "Create a team", async (r, a, o, ct) =>
            {
                await a.CreateTeamAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), r.GetValue(comment), ct);
                o.Done($"created team '{r.GetRequiredValue(team)}' in '{r.GetRequiredValue(org)}'");
            }, org, team, comment),
            admin.Command("rm", "Delete a team", async (r, a, o, ct) =>
            {
                await a.DeleteTeamAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), ct);
                o.Done($"deleted team '{r.GetRequiredValue(team)}' of '{r.GetRequiredValue(org)}'");
            }, org, team),
            admin.Command("add-member", "Add a user to a team, or change their role", async (r, a, o, ct) =>
            {
                await a.AddTeamMemberAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), r.GetRequiredValue(user),
                    r.GetValue(asAdmin) ? TeamRole.Admin : TeamRole.Member, ct);
                o.Done($"'{r.GetRequiredValue(user)}' is now in team '{r.GetRequiredValue(team)}'");
            }, org, team, user, asAdmin),
            admin.Command("rm-member", "Remove a user from a team", async (r, a, o, ct) =>
            {
                await a.RemoveTeamMemberAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), r.GetRequiredValue(user), ct);
                o.Done($"removed '{r.GetRequiredValue(user)}' from team '{r.GetRequiredValue(team)}'");
            }, org, team, user),
            admin.Command("grant", "Give a team pull (or, with --write, pull and push) on one of the organization's repositories", async (r, a, o, ct) =>
            {
                await a.GrantAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), r.GetRequiredValue(repository),
                    r.GetValue(write) ? TeamPermit.Write : TeamPermit.Read, ct);
                o.Done($"team '{r.GetRequiredValue(team)}' may now {(r.GetValue(write) ? "pull and push" : "pull")} '{r.GetRequiredValue(org)}/{r.GetRequiredValue(repository)}'");
            }, org, team, repository, write),
            admin.Command("revoke", "Take a team's permission on a repository away", async (r, a, o, ct) =>
            {
                await a.RevokeAsync(r.GetRequiredValue(org), r.GetRequiredValue(team), r.GetRequiredValue(repository), ct);
                o.Done($"team '{r.GetRequiredValue(team)}' has no permission on '{r.GetRequiredValue(org)}/{r.GetRequiredValue(repository)}' any more");
            }, org, team, repository));
    }
}
